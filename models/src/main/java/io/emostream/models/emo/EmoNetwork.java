package io.emostream.models.emo;

import io.emostream.models.card.ModelCard.OutputSpec;
import io.emostream.models.graph.OnnxGraph;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Writes the network of a {@link ModelSpec} into an {@link OnnxGraph}: one walk over the architecture that both
 * declares every parameter (name, shape, initialisation) and emits the nodes that use it, so the parameter list and
 * the graph cannot disagree. Tensors are named after the reference modules (EMO's {@code stage3.1.qk.conv.weight},
 * mmdetection's {@code neck.*} and {@code bbox_head.*}, mmsegmentation's {@code decode_head.*}).
 *
 * <p>The trunk is NCHW. LayerNorm blocks switch to NHWC, where the normalisation works on the last axis and where
 * attention tokens already have their channels last; 1x1 projections there are Gemms on token rows against the
 * reference-shaped weights (ONNX Runtime folds the constant reshape and scaling of a weight at session creation).
 * One window group per axis is global attention and skips the grid transposes.
 */
final class EmoNetwork {
    static final String INPUT = "input";
    /** Normalisation eps of the backbone, the SSD neck/head and the mmsegmentation heads (ASPP, PSP). */
    private static final float EPS_BACKBONE = 1e-6f, EPS_SSD = 1e-3f, EPS_SEG = 1e-5f;
    /** SSDLite: anchors per location, extra level widths, ASPP: channels and dilations. */
    private static final int SSD_ANCHORS = 6, ASPP_CHANNELS = 256;
    private static final int[] SSD_EXTRA_WIDTHS = {512, 256, 256, 128};
    private static final int[] ASPP_DILATIONS = {1, 12, 24, 36};
    /** RetinaNet: FPN width, stacked convs per branch, anchors per location (3 scales x 3 ratios). */
    private static final int FPN_CHANNELS = 256, RETINA_STACKED_CONVS = 4, RETINA_ANCHORS = 9;
    /** PSPNet: pyramid pooling bins per side and the width of each branch and of the bottleneck. */
    private static final int[] PSP_POOL_SCALES = {1, 2, 3, 6};
    private static final int PSP_CHANNELS = 256;
    /** Weight std = gain / sqrt(fan in): sqrt 2 before SiLU/GELU/ReLU keeps activations near unit scale. */
    private static final double GAIN_ACT = Math.sqrt(2), GAIN_LINEAR = 1, GAIN_RESIDUAL = 0.5;

    /** How a parameter starts when no weights are given. */
    record Init(double std, float fill) {
        static Init normal(double std) { return new Init(std, 0); }
        static Init constant(float value) { return new Init(-1, value); }
    }

    record Param(ParameterSpec spec, Init init) { }

    private enum Norm { NONE, BN, LN }

    /** One iRMB. */
    private record Block(String name, int stage, int cin, int cout, int stride, double expRatio, Norm norm,
                         boolean vProj, boolean attention, boolean residual, boolean se) {
        /** Expanded width, int(C_in * exp_ratio) as the reference computes it; C_in when there is no expansion. */
        int cMid() {
            return vProj ? (int) Math.floor(cin * expRatio) : cin;
        }
    }

    private final ModelSpec spec;
    private final OnnxGraph g;
    private final ParameterSet values;
    private final List<Param> params = new ArrayList<>();
    private final List<OutputSpec> outputs = new ArrayList<>();
    /** Spatial size of the tensor the backbone is working on. */
    private int h, w;

    /** @param values the weights to write as initializers, or null to only declare the parameters */
    private EmoNetwork(ModelSpec spec, ParameterSet values) {
        this.spec = spec;
        this.values = values;
        this.g = new OnnxGraph(spec.name(), EmoModelBuilder.OPSET);
    }

    /** The parameters of a spec, in graph order. */
    static List<Param> declare(ModelSpec spec) {
        EmoNetwork net = new EmoNetwork(spec, null);
        net.write();
        return net.params;
    }

    /** The graph of a spec with the given weights (which must match {@link #declare}). */
    static EmoNetwork build(ModelSpec spec, ParameterSet values) {
        EmoNetwork net = new EmoNetwork(spec, values);
        net.write();
        return net;
    }

    /**
     * The token mixer of one attention block of {@code stage} (norm, padding, grid, attention, value projection)
     * alone: input [N, C, height, width] -> output {@code u} [N, C_mid, height, width]. A seam for tests that check
     * the grouping against the formula in docs/MODELS.md, "The iRMB block".
     */
    static EmoNetwork attentionMixer(ModelSpec spec, int stage, int height, int width, ParameterSet values) {
        EmoNetwork net = new EmoNetwork(spec, values);
        EmoArch a = spec.arch();
        int c = a.width(stage);
        Block b = new Block("stage" + stage + ".1", stage, c, c, 1, a.expRatio(stage), Norm.LN, true, true, true,
                false);
        net.h = height;
        net.w = width;
        String u = net.attention(b, net.g.input(INPUT, -1, c, height, width));
        net.g.output(u, -1, b.cMid(), height, width);
        return net;
    }

    List<Param> params() {
        return params;
    }

    OnnxGraph graph() {
        return g;
    }

    List<OutputSpec> outputs() {
        return outputs;
    }

    private void write() {
        h = spec.inputHeight();
        w = spec.inputWidth();
        String x = g.input(INPUT, -1, 3, h, w);
        String[] stages = backbone(x);
        switch (spec.head()) {
            case CLASSIFIER -> classifier(stages[4]);
            case SSDLITE -> ssdLite(stages[3], stages[4]);
            case RETINANET -> retinaNet(stages);
            case DEEPLABV3 -> deepLabV3(stages[4]);
            case PSPNET -> pspNet(stages[4]);
        }
    }

    // ---- backbone ----------------------------------------------------------------------------------------------

    /** @return the outputs of stages 1..4 at indices 1..4 */
    private String[] backbone(String x) {
        EmoArch a = spec.arch();
        int stem = EmoArch.STEM_WIDTH;
        String y = conv("stage0.0.convs.0.0", x, 3, stem, 3, 2, 1, 1, 1, true, GAIN_LINEAR);
        y = bn("stage0.0.convs.0.1", y, stem, EPS_BACKBONE);
        h = outSize(h, 3, 2, 1);
        w = outSize(w, 3, 2, 1);
        y = block(new Block("stage0.1", 0, stem, stem, 1, 1, Norm.NONE, false, false, false, true), y);
        String[] stages = new String[5];
        int cin = stem;
        for (int stage = 1; stage <= 4; stage++) {
            for (int j = 0; j < a.depth(stage); j++) {
                boolean first = j == 0;
                y = block(new Block("stage" + stage + "." + j, stage, cin, a.width(stage), first ? 2 : 1,
                        a.expRatio(stage) * (first ? 2 : 1), stage <= 2 ? Norm.BN : Norm.LN, true,
                        !first && stage >= 3, !first, false), y);
                cin = a.width(stage);
            }
            stages[stage] = y;
        }
        return stages;
    }

    private String block(Block b, String x) {
        String p = b.name;
        int cMid = b.cMid();
        String u;
        if (b.attention) {
            u = attention(b, x);
        } else {
            String t = switch (b.norm) {
                case NONE -> x;
                case BN -> bn(p + ".norm", x, b.cin, EPS_BACKBONE);
                case LN -> g.transpose(p + ".norm.nchw", layerNorm(p + ".norm.norm",
                        g.transpose(p + ".norm.nhwc", x, 0, 2, 3, 1), b.cin), 0, 3, 1, 2);
            };
            u = b.vProj ? act(b, p + ".v.act", conv(p + ".v.conv", t, b.cin, cMid, 1, 1, 0, 1, 1, true, GAIN_ACT)) : t;
        }
        int k = b.stage <= 2 ? 3 : 5;
        int pad = (int) Math.ceil((k - b.stride) / 2.0);
        String d = conv(p + ".conv_local.conv", u, cMid, cMid, k, b.stride, pad, 1, cMid, false, GAIN_ACT);
        d = g.silu(p + ".conv_local.act", bn(p + ".conv_local.norm", d, cMid, EPS_BACKBONE));
        h = outSize(h, k, b.stride, pad);
        w = outSize(w, k, b.stride, pad);
        if (b.se) {
            d = squeezeExcite(p + ".se", d, cMid);
        }
        if (b.residual) {
            d = g.add(p + ".skip_local", u, d);
        }
        String z = conv(p + ".proj.conv", d, cMid, b.cout, 1, 1, 0, 1, 1, false,
                b.residual ? GAIN_RESIDUAL : GAIN_LINEAR);
        return b.residual ? g.add(p + ".skip", x, z) : z;
    }

    /**
     * Norm, zero padding to whole windows, grouping into the strided grid (group (i, j) holds rows = i mod n1 and
     * columns = j mod n2), multi-head attention inside each group, the value projection, and the way back to NCHW
     * at the original size. One group per axis is global attention: no grid transposes then.
     */
    private String attention(Block b, String x) {
        String p = b.name;
        int cMid = b.cMid();
        int c = b.cin, dimHead = spec.arch().dimHead(b.stage), heads = c / dimHead, ws = spec.window();
        if (c % dimHead != 0) {
            throw new IllegalStateException(p + ": width " + c + " is not a multiple of dim_head " + dimHead);
        }
        if (!spec.attnPre() && cMid % heads != 0) {
            throw new IllegalArgumentException("attn_pre=false needs the expanded width " + cMid + " of " + p
                    + " to divide into " + heads + " heads");
        }
        int hp = ceilDiv(h, ws) * ws, wp = ceilDiv(w, ws) * ws, n1 = hp / ws, n2 = wp / ws;
        boolean global = n1 == 1 && n2 == 1;
        String t = layerNorm(p + ".norm.norm", g.transpose(p + ".norm.nhwc", x, 0, 2, 3, 1), c);
        if (hp > h || wp > w) {
            t = g.padEnd(p + ".pad", t, 4, Map.of(1, (long) (hp - h), 2, (long) (wp - w)));
        }
        // tokens as rows [N * groups * ws * ws, C]: 1x1 projections become Gemm
        String tokens = global ? g.reshape(p + ".tokens", t, -1, c)
                : g.reshape(p + ".tokens", g.transpose(p + ".grid", g.reshape(p + ".grid.split", t,
                -1, ws, n1, ws, n2, c), 0, 2, 4, 1, 3, 5), -1, c);
        long groupTokens = global ? (long) hp * wp : (long) ws * ws;
        // q carries the attention scale dim_head^-0.5, folded into its weights and bias
        float[] scale = new float[2 * c];
        Arrays.fill(scale, 0, c, (float) (1 / Math.sqrt(dimHead)));
        Arrays.fill(scale, c, 2 * c, 1f);
        List<String> qk = g.split(p + ".qk", pointwise(p + ".qk", tokens, c, 2 * c, GAIN_LINEAR, scale), 1, c, c);
        String u;
        if (spec.attnPre()) {
            String attended = attend(p, qk.get(0), qk.get(1), tokens, groupTokens, heads, dimHead, c);
            u = act(b, p + ".v.act", pointwise(p + ".v", attended, c, cMid, GAIN_ACT, null));
        } else {
            String v = act(b, p + ".v.act", pointwise(p + ".v", tokens, c, cMid, GAIN_ACT, null));
            u = attend(p, qk.get(0), qk.get(1), v, groupTokens, heads, dimHead, cMid);
        }
        // back to pixels in two moves ONNX Runtime does fast (~20 us at 14x14x240 against ~180 us for the one 6-D
        // transpose that moves channels and grid together): whole channel rows into NHWC order, then NHWC -> NCHW
        u = global ? g.reshape(p + ".ungroup.split", u, -1, hp, wp, cMid)
                : g.reshape(p + ".ungroup.nhwc", g.transpose(p + ".ungroup.grid", g.reshape(p + ".ungroup.split", u,
                -1, n1, n2, ws, ws, cMid), 0, 3, 1, 4, 2, 5), -1, hp, wp, cMid);
        if (hp > h || wp > w) {
            u = g.crop(p + ".crop", u, new long[]{1, 2}, new long[]{h, w});
        }
        return g.transpose(p + ".ungroup", u, 0, 3, 1, 2);
    }

    /**
     * softmax(q k^T) v per head inside each group of {@code tokens} rows; q (already scaled), k [rows, heads*dimHead],
     * v [rows, cv] -> [rows, cv]. Heads are contiguous channel blocks.
     */
    private String attend(String p, String q, String k, String v, long tokens, int heads, int dimHead, int cv) {
        String qh = g.transpose(p + ".q.heads", g.reshape(p + ".q.split", q, -1, tokens, heads, dimHead), 0, 2, 1, 3);
        String kt = g.transpose(p + ".k.heads", g.reshape(p + ".k.split", k, -1, tokens, heads, dimHead), 0, 2, 3, 1);
        String vh = g.transpose(p + ".attn.v.heads", g.reshape(p + ".attn.v.split", v, -1, tokens, heads, cv / heads),
                0, 2, 1, 3);
        String attn = g.softmax(p + ".attn", g.matMul(p + ".attn.logits", qh, kt), -1);
        String out = g.transpose(p + ".attn.out.heads", g.matMul(p + ".attn.out", attn, vh), 0, 2, 1, 3);
        return g.reshape(p + ".attn.merged", out, -1, cv);
    }

    /**
     * A reference 1x1 ConvNormAct ({@code <module>.conv.weight/bias}) applied to token rows [rows, cin] as a Gemm,
     * its outputs optionally scaled per channel by {@code outScale} (folded into the weights: ONNX Runtime computes
     * the constant subgraph once at session creation).
     */
    private String pointwise(String module, String tokens, int cin, int cout, double gain, float[] outScale) {
        String weight = param(module + ".conv.weight", new long[]{cout, cin, 1, 1}, Init.normal(gain / Math.sqrt(cin)));
        String bias = param(module + ".conv.bias", new long[]{cout}, Init.constant(0));
        String matrix = g.reshape(module + ".matrix", weight, cout, cin);
        if (outScale != null) {
            matrix = g.mul(module + ".matrix.scaled", matrix, g.constant(module + ".scale.column",
                    new long[]{cout, 1}, outScale));
            bias = g.mul(module + ".bias.scaled", bias, g.constant(module + ".scale", new long[]{cout}, outScale));
        }
        return g.linear(module, tokens, matrix, bias);
    }

    private String squeezeExcite(String module, String x, int c) {
        String s = g.reduceMean(module + ".mean", x, true, 2, 3);
        s = g.silu(module + ".act1", conv(module + ".conv_reduce", s, c, c, 1, 1, 0, 1, 1, true, GAIN_ACT));
        s = g.sigmoid(module + ".gate", conv(module + ".conv_expand", s, c, c, 1, 1, 0, 1, 1, true, GAIN_LINEAR));
        return g.mul(module, x, s);
    }

    private String act(Block b, String name, String x) {
        return b.stage <= 2 ? g.silu(name, x) : g.gelu(name, x);
    }

    // ---- heads -------------------------------------------------------------------------------------------------

    /** Reference classifier: LN over channels, global mean, Linear. Output: logits [N, classes], no softmax. */
    private void classifier(String features) {
        int c = spec.arch().width(4);
        if (spec.classes() == 0) {
            String out = g.node("Identity", "features", List.of(features));
            g.output(out, -1, c, h, w);
            outputs.add(new OutputSpec(out, new long[]{-1, c, h, w}, "stage-4 features (stride 32), NCHW"));
            return;
        }
        String t = layerNorm("norm.norm", g.transpose("norm.nhwc", features, 0, 2, 3, 1), c);
        String pooled = g.reduceMean("pool", t, false, 1, 2);
        String logits = g.linear("logits", pooled, param("head.weight", new long[]{spec.classes(), c},
                Init.normal(GAIN_LINEAR / Math.sqrt(c))), param("head.bias", new long[]{spec.classes()},
                Init.constant(0)));
        g.output(logits, -1, spec.classes());
        outputs.add(new OutputSpec(logits, new long[]{-1, spec.classes()}, "class logits, no softmax"));
    }

    /**
     * mmdetection SSDNeck (four extra levels from stage 4) and SSDHead with depthwise branches. Outputs are
     * flattened level by level, location-major (row, column), then anchor.
     */
    private void ssdLite(String stage3, String stage4) {
        EmoArch a = spec.arch();
        List<String> levels = new ArrayList<>(List.of(stage3, stage4));
        List<Integer> widths = new ArrayList<>(List.of(a.width(3), a.width(4)));
        List<Integer> sizes = new ArrayList<>(List.of(spec.inputSize() / 16, spec.inputSize() / 32));
        for (int i = 0; i < SSD_EXTRA_WIDTHS.length; i++) {
            String p = "neck.extra_layers." + i;
            int cin = widths.get(widths.size() - 1), cout = SSD_EXTRA_WIDTHS[i], half = cout / 2;
            String y = convBnAct(p + ".0", levels.get(levels.size() - 1), cin, half, 1, 1, 0, 1, 1, EPS_SSD, true);
            y = convBnAct(p + ".1.depthwise_conv", y, half, half, 3, 2, 1, 1, half, EPS_SSD, true);
            y = convBnAct(p + ".1.pointwise_conv", y, half, cout, 1, 1, 0, 1, 1, EPS_SSD, true);
            levels.add(y);
            widths.add(cout);
            sizes.add(outSize(sizes.get(sizes.size() - 1), 3, 2, 1));
        }
        int scoresPerAnchor = spec.classes() + 1;
        List<String> scores = new ArrayList<>(), deltas = new ArrayList<>();
        for (int l = 0; l < levels.size(); l++) {
            scores.add(ssdBranch("bbox_head.cls_convs." + l, levels.get(l), widths.get(l), scoresPerAnchor));
            deltas.add(ssdBranch("bbox_head.reg_convs." + l, levels.get(l), widths.get(l), 4));
        }
        long anchors = SSD_ANCHORS * sizes.stream().mapToLong(s -> (long) s * s).sum();
        String sc = g.softmax("scores", g.concat("scores.logits", scores, 1), -1);
        String de = g.concat("deltas", deltas, 1);
        g.output(sc, -1, anchors, scoresPerAnchor);
        g.output(de, -1, anchors, 4);
        outputs.add(new OutputSpec(sc, new long[]{-1, anchors, scoresPerAnchor}, "softmax class probabilities per "
                + "anchor, " + spec.classes() + " classes then background LAST; anchors level by level, location-major"
                + " (row, column), then anchor"));
        outputs.add(new OutputSpec(de, new long[]{-1, anchors, 4}, "box deltas (dx, dy, dw, dh) per anchor, to be "
                + "scaled by the variances, in the order of scores"));
    }

    /** Depthwise 3x3 + BN + ReLU6, then 1x1 with bias to anchors*perAnchor; flattened to [N, h*w*anchors, perAnchor]. */
    private String ssdBranch(String p, String x, int c, int perAnchor) {
        String y = convBnAct(p + ".0", x, c, c, 3, 1, 1, 1, c, EPS_SSD, true);
        y = conv(p + ".1", y, c, SSD_ANCHORS * perAnchor, 1, 1, 0, 1, 1, true, GAIN_LINEAR);
        return g.reshape(p + ".flat", g.transpose(p + ".nhwc", y, 0, 2, 3, 1), 0, -1, perAnchor);
    }

    /**
     * mmdetection RetinaNet as the EMO authors configure it. FPN (start_level 1 of the backbone outputs 1..4, so stages
     * 2-4 at strides 8, 16, 32): 1x1 laterals, top-down sums with nearest 2x upsampling, 3x3 output convs; two extra
     * levels (add_extra_convs 'on_input'): a 3x3 stride-2 conv on stage 4 itself, then one on P6 with no ReLU between.
     * Every FPN conv has a bias and no norm or activation. RetinaHead: on each of the five levels, with weights shared
     * across levels, four 3x3 conv + ReLU layers per branch, then a 3x3 conv to 9 x classes (sigmoid, no background)
     * and to 9 x 4 deltas. Outputs are flattened as for SSDLite: level, row, column, anchor.
     */
    private void retinaNet(String[] stages) {
        EmoArch a = spec.arch();
        int levelsFromBackbone = 3;
        String[] laterals = new String[levelsFromBackbone];
        for (int i = 0; i < levelsFromBackbone; i++) {
            laterals[i] = conv("neck.lateral_convs." + i + ".conv", stages[i + 2], a.width(i + 2), FPN_CHANNELS, 1, 1,
                    0, 1, 1, true, GAIN_LINEAR);
        }
        for (int i = levelsFromBackbone - 1; i > 0; i--) {
            laterals[i - 1] = g.add("neck.top_down." + i, laterals[i - 1], g.resizeNearest("neck.upsample." + i,
                    laterals[i], 2));
        }
        List<String> levels = new ArrayList<>();
        for (int i = 0; i < levelsFromBackbone; i++) {
            levels.add(conv("neck.fpn_convs." + i + ".conv", laterals[i], FPN_CHANNELS, FPN_CHANNELS, 3, 1, 1, 1, 1,
                    true, GAIN_LINEAR));
        }
        levels.add(conv("neck.fpn_convs.3.conv", stages[4], a.width(4), FPN_CHANNELS, 3, 2, 1, 1, 1, true,
                GAIN_LINEAR));
        levels.add(conv("neck.fpn_convs.4.conv", levels.get(3), FPN_CHANNELS, FPN_CHANNELS, 3, 2, 1, 1, 1, true,
                GAIN_LINEAR));

        int classes = spec.classes();
        ConvParams[] cls = new ConvParams[RETINA_STACKED_CONVS], reg = new ConvParams[RETINA_STACKED_CONVS];
        for (int i = 0; i < RETINA_STACKED_CONVS; i++) {
            cls[i] = convParams("bbox_head.cls_convs." + i + ".conv", FPN_CHANNELS, FPN_CHANNELS, 3, 1, true, GAIN_ACT);
        }
        for (int i = 0; i < RETINA_STACKED_CONVS; i++) {
            reg[i] = convParams("bbox_head.reg_convs." + i + ".conv", FPN_CHANNELS, FPN_CHANNELS, 3, 1, true, GAIN_ACT);
        }
        ConvParams clsOut = convParams("bbox_head.retina_cls", FPN_CHANNELS, RETINA_ANCHORS * classes, 3, 1, true,
                GAIN_LINEAR);
        ConvParams regOut = convParams("bbox_head.retina_reg", FPN_CHANNELS, RETINA_ANCHORS * 4, 3, 1, true,
                GAIN_LINEAR);
        List<String> scores = new ArrayList<>(), deltas = new ArrayList<>();
        for (int l = 0; l < levels.size(); l++) {
            scores.add(retinaBranch("bbox_head.level" + l + ".cls", levels.get(l), cls, clsOut, classes));
            deltas.add(retinaBranch("bbox_head.level" + l + ".reg", levels.get(l), reg, regOut, 4));
        }
        long locations = 0;
        for (int stride = 8; stride <= 128; stride *= 2) {
            locations += (long) ceilDiv(spec.inputHeight(), stride) * ceilDiv(spec.inputWidth(), stride);
        }
        long anchors = RETINA_ANCHORS * locations;
        String sc = g.sigmoid("scores", g.concat("scores.logits", scores, 1));
        String de = g.concat("deltas", deltas, 1);
        g.output(sc, -1, anchors, classes);
        g.output(de, -1, anchors, 4);
        outputs.add(new OutputSpec(sc, new long[]{-1, anchors, classes}, "sigmoid class probabilities per anchor, "
                + classes + " classes, no background column; anchors level by level (strides 8 to 128), "
                + "location-major (row, column), then anchor"));
        outputs.add(new OutputSpec(de, new long[]{-1, anchors, 4}, "box deltas (dx, dy, dw, dh) per anchor (means 0, "
                + "stds 1), in the order of scores"));
    }

    /** The stacked 3x3 conv + ReLU layers, then the output conv, with shared weights; [N, h*w*9, perAnchor]. */
    private String retinaBranch(String p, String x, ConvParams[] stacked, ConvParams out, int perAnchor) {
        String y = x;
        for (int i = 0; i < stacked.length; i++) {
            y = g.relu(p + "." + i + ".act", g.conv(p + "." + i, y, stacked[i].weight(), stacked[i].bias(), 3, 1, 1, 1,
                    1));
        }
        y = g.conv(p + ".out", y, out.weight(), out.bias(), 3, 1, 1, 1, 1);
        return g.reshape(p + ".flat", g.transpose(p + ".nhwc", y, 0, 2, 3, 1), 0, -1, perAnchor);
    }

    /** mmsegmentation ASPPHead: image pool + 1x1 + three dilated 3x3, concatenated, bottleneck, classifier. */
    private void deepLabV3(String features) {
        int c = spec.arch().width(4);
        String pooled = g.reduceMean("decode_head.image_pool.0", features, true, 2, 3);
        pooled = convBnAct("decode_head.image_pool.1", pooled, c, ASPP_CHANNELS, 1, 1, 0, 1, 1, EPS_SEG, false);
        // bilinear upsampling of a 1x1 map is a broadcast
        List<String> branches = new ArrayList<>(List.of(g.expand("decode_head.image_pool.resize", pooled, 1, 1, h, w)));
        for (int i = 0; i < ASPP_DILATIONS.length; i++) {
            int d = ASPP_DILATIONS[i], k = d == 1 ? 1 : 3;
            branches.add(convBnAct("decode_head.aspp_modules." + i, features, c, ASPP_CHANNELS, k, 1, d == 1 ? 0 : d, d,
                    1, EPS_SEG, false));
        }
        segmentationTail(g.concat("decode_head.aspp_cat", branches, 1), branches.size() * ASPP_CHANNELS,
                ASPP_CHANNELS);
    }

    /**
     * mmsegmentation PSPHead: the stage-4 map, then per pool scale an adaptive average pool to scale x scale bins, a
     * 1x1 ConvModule and bilinear upsampling back (align_corners=false), concatenated in that order; bottleneck,
     * classifier. Pooling and upsampling are constant matrices ({@link ResamplingMatrices}): exact for any map size,
     * also where the bins do not divide it (3 and 6 bins of 16 at 512).
     */
    private void pspNet(String features) {
        int c = spec.arch().width(4);
        List<String> branches = new ArrayList<>(List.of(features));
        for (int i = 0; i < PSP_POOL_SCALES.length; i++) {
            String p = "decode_head.psp_modules." + i;
            int bins = PSP_POOL_SCALES[i];
            String pooled = resample(p + ".0", features, c, ResamplingMatrices.adaptiveAverage(h, w, bins, bins), bins,
                    bins);
            String y = convBnAct(p + ".1", pooled, c, PSP_CHANNELS, 1, 1, 0, 1, 1, EPS_SEG, false);
            branches.add(resample(p + ".resize", y, PSP_CHANNELS, ResamplingMatrices.bilinear(bins, bins, h, w), h, w));
        }
        segmentationTail(g.concat("decode_head.psp_cat", branches, 1), c + PSP_POOL_SCALES.length * PSP_CHANNELS,
                PSP_CHANNELS);
    }

    /**
     * One pyramid pooling level alone (pool to {@code bins} x {@code bins}, then back to the map's size, without the
     * conv between): input [N, C, height, width] -> outputs {@code pooled} [N, C, bins, bins] and {@code upsampled}
     * [N, C, height, width]. A seam for tests that check both against PyTorch's formulas computed directly.
     */
    static OnnxGraph pyramidPoolingLevel(ModelSpec spec, int c, int height, int width, int bins) {
        EmoNetwork net = new EmoNetwork(spec, null);
        OnnxGraph g = net.g;
        String x = g.input(INPUT, -1, c, height, width);
        String pooled = g.node("Identity", "pooled", List.of(net.resample("pool", x, c,
                ResamplingMatrices.adaptiveAverage(height, width, bins, bins), bins, bins)));
        String up = g.node("Identity", "upsampled", List.of(net.resample("up", pooled, c,
                ResamplingMatrices.bilinear(bins, bins, height, width), height, width)));
        g.output(pooled, -1, c, bins, bins);
        g.output(up, -1, c, height, width);
        return g;
    }

    /** [N, C, h1, w1] -> [N, C, outH, outW] through a constant [h1*w1, outH*outW] matrix on the flattened maps. */
    private String resample(String name, String x, int c, float[] matrix, int outH, int outW) {
        long in = matrix.length / ((long) outH * outW);
        String flat = g.reshape(name + ".flat", x, 0, c, in);
        String mixed = g.matMul(name, flat, g.constant(name + ".matrix", new long[]{in, (long) outH * outW}, matrix));
        return g.reshape(name + ".map", mixed, 0, c, outH, outW);
    }

    /** mmsegmentation's shared tail: 3x3 bottleneck ConvModule, 1x1 classifier with bias; logits at stride 32. */
    private void segmentationTail(String concatenated, int cin, int channels) {
        String y = convBnAct("decode_head.bottleneck", concatenated, cin, channels, 3, 1, 1, 1, 1, EPS_SEG, false);
        String logits = conv("decode_head.conv_seg", y, channels, spec.classes(), 1, 1, 0, 1, 1, true, GAIN_LINEAR);
        String out = g.node("Identity", "logits", List.of(logits));
        g.output(out, -1, spec.classes(), h, w);
        outputs.add(new OutputSpec(out, new long[]{-1, spec.classes(), h, w}, "class logits at stride 32; resize "
                + "bilinearly (align_corners=false) to the frame size, then argmax over classes"));
    }

    // ---- layers ------------------------------------------------------------------------------------------------

    /** mmcv ConvModule: conv (no bias) + BN ({@code <p>.bn}) + ReLU6 or ReLU. */
    private String convBnAct(String p, String x, int cin, int cout, int k, int stride, int pad, int dilation,
                             int groups, float eps, boolean relu6) {
        String y = bn(p + ".bn", conv(p + ".conv", x, cin, cout, k, stride, pad, dilation, groups, false, GAIN_ACT),
                cout, eps);
        return relu6 ? g.relu6(p + ".act", y) : g.relu(p + ".act", y);
    }

    /** {@code <module>.weight} [cout, cin/groups, k, k] and optionally {@code <module>.bias}. */
    private String conv(String module, String x, int cin, int cout, int k, int stride, int pad, int dilation,
                        int groups, boolean bias, double gain) {
        ConvParams p = convParams(module, cin, cout, k, groups, bias, gain);
        return g.conv(module, x, p.weight(), p.bias(), k, stride, pad, dilation, groups);
    }

    /** A conv's parameters (bias null when it has none), declared once for layers that share them. */
    private record ConvParams(String weight, String bias) { }

    private ConvParams convParams(String module, int cin, int cout, int k, int groups, boolean bias, double gain) {
        int fanIn = cin / groups * k * k;
        String weight = param(module + ".weight", new long[]{cout, cin / groups, k, k},
                Init.normal(gain / Math.sqrt(fanIn)));
        return new ConvParams(weight, bias ? param(module + ".bias", new long[]{cout}, Init.constant(0)) : null);
    }

    /** BatchNorm2d {@code <module>.weight/bias/running_mean/running_var}; running statistics are not trainable. */
    private String bn(String module, String x, int c, float eps) {
        long[] shape = {c};
        return g.batchNorm(module, x, param(module + ".weight", shape, Init.constant(1)),
                param(module + ".bias", shape, Init.constant(0)),
                buffer(module + ".running_mean", shape, Init.constant(0)),
                buffer(module + ".running_var", shape, Init.constant(1)), eps);
    }

    /** LayerNorm over the channels of an NHWC tensor at the current size, {@code <module>.weight/bias}. */
    private String layerNorm(String module, String x, int c) {
        long[] shape = {c};
        return g.layerNorm(module, x, param(module + ".weight", shape, Init.constant(1)),
                param(module + ".bias", shape, Init.constant(0)), EPS_BACKBONE, -1, h, w, c);
    }

    private String param(String name, long[] shape, Init init) {
        return declare(new ParameterSpec(name, shape, true), init);
    }

    private String buffer(String name, long[] shape, Init init) {
        return declare(new ParameterSpec(name, shape, false), init);
    }

    private String declare(ParameterSpec p, Init init) {
        params.add(new Param(p, init));
        if (values != null) {
            ParameterSet.Tensor t = values.get(p.name());
            if (!Arrays.equals(t.shape(), p.shape())) {
                throw new IllegalArgumentException(p.name() + ": expected shape "
                        + Arrays.toString(p.shape()) + ", got " + Arrays.toString(t.shape()));
            }
            g.initializer(p.name(), p.shape(), t.data());
        }
        return p.name();
    }

    private static int outSize(int in, int k, int stride, int pad) {
        return (in + 2 * pad - k) / stride + 1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
