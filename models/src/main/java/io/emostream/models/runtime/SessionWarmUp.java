package io.emostream.models.runtime;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One session call at each batch size a model will see, before any frame: what a first call at a new shape costs
 * (memory arenas, cuDNN's algorithm search, TensorRT's engines) is paid here. An input of zeros is enough, since
 * that cost does not depend on the pixels.
 */
final class SessionWarmUp {
    private SessionWarmUp() { }

    /**
     * @return the batch sizes run, in order
     * @throws InferenceException when a call fails or answers for another batch size
     */
    static List<Integer> run(String model, BatchRunner runner, int rowFloats, List<Integer> sizes)
            throws InferenceException {
        int largest = sizes.stream().mapToInt(Integer::intValue).max().orElse(0);
        FloatBuffer zeros = FloatBufferPool.allocate((long) rowFloats * largest);
        List<Integer> ran = new ArrayList<>();
        for (int rows : sizes) {
            Map<String, BatchRunner.Tensor> outputs;
            try {
                outputs = runner.run(zeros.duplicate().limit(rowFloats * rows), rows);
            } catch (Exception e) {
                throw new InferenceException(InferenceException.Reason.MODEL_ERROR, "warm-up of model " + model
                        + " at batch size " + rows + " failed: " + e.getMessage(), e);
            }
            for (Map.Entry<String, BatchRunner.Tensor> out : outputs.entrySet()) {
                long[] shape = out.getValue().shape();
                if (shape.length == 0 || shape[0] != rows) {
                    throw new InferenceException(InferenceException.Reason.OUTPUT_MISMATCH, "warm-up of model "
                            + model + ": output '" + out.getKey() + "' has no batch dimension of " + rows);
                }
            }
            ran.add(rows);
        }
        return ran;
    }
}
