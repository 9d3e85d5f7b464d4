package io.emostream.models.runtime;

import java.util.Map;

/**
 * One request's slice of a batch's outputs, with where its time went in the batcher.
 *
 * @param values    output name -> this row's values
 * @param shapes    output name -> this row's shape (batch dimension removed)
 * @param batchSize size of the batch the row ran in
 * @param queueMs   wait from submit until its batch started
 * @param runMs     the session call for the whole batch
 */
public record RowOutput(Map<String, float[]> values, Map<String, long[]> shapes, int batchSize, float queueMs,
                        float runMs) {

    public float[] values(String output) throws InferenceException {
        float[] v = values.get(output);
        if (v == null) {
            throw new InferenceException(InferenceException.Reason.OUTPUT_MISMATCH,
                    "the model has no output '" + output + "' (outputs: " + values.keySet() + ")");
        }
        return v;
    }

    public long[] shape(String output) throws InferenceException {
        values(output);
        return shapes.get(output);
    }
}
