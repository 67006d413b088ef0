/*
 * The forwarder's test driver. Loads libraries the way the JVM does (dlopen with RTLD_LAZY | RTLD_LOCAL, by
 * path): optionally the fake libcublas.so.13 first, then the forwarder, then the consumer, whose NEEDED
 * libcublas.so.12 the dynamic linker must satisfy with the already loaded forwarder (matched by soname).
 *
 *   forward_test FAKE13|- FORWARDER CONSUMER run|missing
 * FAKE13 "-" skips the preload, so the forwarder must find libcublas.so.13 itself (LD_LIBRARY_PATH).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static void *load(const char *path)
{
    void *h = dlopen(path, RTLD_LAZY | RTLD_LOCAL);
    if (h == NULL) {
        printf("driver dlopen failed: %s\n", dlerror());
    }
    return h;
}

int main(int argc, char **argv)
{
    if (argc != 5) {
        fprintf(stderr, "usage: forward_test FAKE13|- FORWARDER CONSUMER run|missing\n");
        return 2;
    }
    if (strcmp(argv[1], "-") != 0 && load(argv[1]) == NULL) {
        return 3;
    }
    if (load(argv[2]) == NULL) {
        return 3;
    }
    void *consumer = load(argv[3]);
    if (consumer == NULL) {
        return 3;
    }
    int (*entry)(void) = (int (*)(void)) dlsym(consumer, strcmp(argv[4], "missing") == 0 ? "consumer_missing"
                                                                                          : "consumer_run");
    if (entry == NULL) {
        printf("driver dlsym failed: %s\n", dlerror());
        return 3;
    }
    int rc = entry();
    printf("driver rc=%d\n", rc);
    return rc == 0 ? 0 : 1;
}
