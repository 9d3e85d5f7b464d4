package io.emostream.models.weights;

/**
 * A tensor as the pickle describes it: a view into a storage. Geometry is validated when the view is built, bytes
 * are read only for tensors that end up in the state_dict.
 *
 * @param offset in elements of {@code dtype}
 * @param stride in elements, one per dimension of {@code shape}
 */
record TensorRef(StorageRef storage, DType dtype, long offset, long[] shape, long[] stride) {

    long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d; // cannot overflow: checked against the tensor byte limit when the view was built
        }
        return n;
    }

    boolean isContiguous() {
        long expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && stride[d] != expected) {
                return false;
            }
            expected *= shape[d];
        }
        return true;
    }
}
