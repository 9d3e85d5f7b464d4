package io.emostream.models.weights;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A global a state_dict pickle may name: the allow-list. It is a token, never a Python object: the unpickler decides
 * what each kind means, and nothing outside this list is ever looked up.
 */
record PickleGlobal(String qualifiedName, Kind kind, DType dtype) {

    enum Kind { ORDERED_DICT, REBUILD_TENSOR_V2, REBUILD_TENSOR_V3, REBUILD_PARAMETER, TYPED_STORAGE,
        UNTYPED_STORAGE, DTYPE }

    static PickleGlobal resolve(String module, String name) throws InvalidCheckpointException {
        return lookup(module, name).orElseThrow(() -> new InvalidCheckpointException(
                "the checkpoint's pickle refers to global '" + module + "." + name + "', which a state_dict never"
                        + " needs; refused, nothing was run (allowed: " + String.join(", ", allowedNames()) + ")"));
    }

    private static Optional<PickleGlobal> lookup(String module, String name) {
        String qualified = module + "." + name;
        switch (qualified) {
            case "collections.OrderedDict":
                return Optional.of(new PickleGlobal(qualified, Kind.ORDERED_DICT, null));
            case "torch._utils._rebuild_tensor_v2":
                return Optional.of(new PickleGlobal(qualified, Kind.REBUILD_TENSOR_V2, null));
            case "torch._utils._rebuild_tensor_v3":
                return Optional.of(new PickleGlobal(qualified, Kind.REBUILD_TENSOR_V3, null));
            case "torch._utils._rebuild_parameter":
                return Optional.of(new PickleGlobal(qualified, Kind.REBUILD_PARAMETER, null));
            case "torch.UntypedStorage":
                return Optional.of(new PickleGlobal(qualified, Kind.UNTYPED_STORAGE, null));
            default:
                break;
        }
        if (!module.equals("torch")) {
            return Optional.empty();
        }
        return DType.forStorageClass(name).map(t -> new PickleGlobal(qualified, Kind.TYPED_STORAGE, t))
                .or(() -> DType.forDtypeName(name).map(t -> new PickleGlobal(qualified, Kind.DTYPE, t)));
    }

    private static List<String> allowedNames() {
        List<String> names = new ArrayList<>(List.of("collections.OrderedDict", "torch._utils._rebuild_tensor_v2",
                "torch._utils._rebuild_tensor_v3", "torch._utils._rebuild_parameter", "torch.UntypedStorage"));
        for (DType t : DType.values()) {
            names.add("torch." + t.storageClass());
        }
        for (DType t : DType.values()) {
            names.add("torch." + t.dtypeName());
        }
        return names;
    }
}
