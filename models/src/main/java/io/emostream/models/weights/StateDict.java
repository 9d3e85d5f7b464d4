package io.emostream.models.weights;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tensors of a checkpoint's state_dict, in file order, keyed as the model names them ({@code module.} stripped,
 * {@code num_batches_tracked} left out).
 *
 * @param tensors    name -> tensor
 * @param wrapperKey the top-level key the state_dict was found under ({@code state_dict}, {@code net}, ...), or
 *                   null when the file is a plain state_dict
 */
public record StateDict(Map<String, CheckpointTensor> tensors, String wrapperKey) {
    public StateDict {
        tensors = Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }
}
