package org.alexnetcuda.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --profile-steps' forms and refusals, and NVTX's off state. */
class ProfileStepsTest {
    @Test
    void rangeAndCountForms() {
        assertEquals(new ProfileSteps(11, 20), ProfileSteps.parse("11:20"));
        assertEquals(new ProfileSteps(1, 5), ProfileSteps.parse("5"));
        assertEquals(new ProfileSteps(3, 3), ProfileSteps.parse(" 3 : 3 "));
        ProfileSteps w = ProfileSteps.parse("2:4");
        assertFalse(w.contains(1));
        assertTrue(w.contains(2) && w.contains(4));
        assertFalse(w.contains(5));
        assertEquals(3, w.count());
        assertEquals("2:4", w.toString());
    }

    @Test
    void badWindowsAreUsageErrors() {
        for (String s : new String[] {"0", "5:4", "0:3", "-1", "a:b", "", "3:", "1:2:3"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProfileSteps.parse(s), s);
            assertTrue(e.getMessage().startsWith("--profile-steps must be"), e.getMessage());
        }
    }

    @Test
    void nvtxIsOffUnlessEnabled() {
        Nvtx.disable();
        assertFalse(Nvtx.enabled());
        assertEquals(Nvtx.OFF, Nvtx.push("x"));
        assertEquals(Nvtx.OFF, Nvtx.pop());
        Nvtx.mark("x"); // nothing to call, nothing thrown
    }
}
