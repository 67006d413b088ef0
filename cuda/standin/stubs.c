/*
 * Every function of a stand-in library's symbol list that the stand-in does not implement: a weak definition
 * (an implemented function's strong one in driver.c, cublas.c or cudnn.c wins at link time) that says its name
 * once on stderr and returns the library's NOT_SUPPORTED status. So a call the program was not expected to make is
 * a clear error, never a JVM killed by "symbol lookup error".
 *
 * Built once per library with STUB_STATUS (the number), STUB_STATUS_NAME (its name) and STUBS (the generated list
 * of STUB(name) lines, from the library's symbol list).
 */
#include <stdio.h>

#define STUB(name)                                                                                            \
    __attribute__((weak)) int name(void)                                                                      \
    {                                                                                                         \
        static int said;                                                                                      \
        if (!said) {                                                                                          \
            said = 1;                                                                                         \
            fprintf(stderr, "alexnet-cuda host stand-in: %s is not implemented; it returns %s\n", #name,     \
                    STUB_STATUS_NAME);                                                                        \
        }                                                                                                     \
        return STUB_STATUS;                                                                                   \
    }

#include STUBS
