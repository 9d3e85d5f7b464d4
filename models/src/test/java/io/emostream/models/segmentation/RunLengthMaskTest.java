package io.emostream.models.segmentation;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class RunLengthMaskTest {
    @Test
    void encodesRowMajorRunsAndSharesLargestFirst() {
        int[] map = {
                1, 1, 2, 2,
                1, 1, 2, 2,
                3, 3, 3, 3,
                3, 3, 3, 3};
        RunLengthMask rle = RunLengthMask.encode(map, 4, 4, id -> "c" + id);
        assertArrayEquals(new int[] {1, 2, 1, 2, 3}, rle.classIds());
        assertArrayEquals(new int[] {2, 2, 2, 2, 8}, rle.runLengths());
        assertEquals(3, rle.shares().get(0).classId());
        assertEquals("c3", rle.shares().get(0).label());
        assertEquals(0.5f, rle.shares().get(0).fraction(), 1e-6f);
        assertEquals(0.25f, rle.shares().get(1).fraction(), 1e-6f);
        assertArrayEquals(map, rle.decode());
    }

    @Test
    void decodingGivesBackARandomLabelMap() {
        Random random = new Random(7);
        int[] map = new int[97 * 61];
        for (int i = 0; i < map.length; i++) {
            map[i] = random.nextInt(10) < 8 && i > 0 ? map[i - 1] : random.nextInt(150);
        }
        RunLengthMask rle = RunLengthMask.encode(map, 97, 61, id -> "");
        assertArrayEquals(map, rle.decode());
        float total = 0;
        for (ClassShare s : rle.shares()) {
            total += s.fraction();
        }
        assertEquals(1f, total, 1e-4f);
    }
}
