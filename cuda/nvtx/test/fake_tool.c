/*
 * A stand-in NVTX tool for the tests: what Nsight Systems does when it attaches, reduced to printing. NVTX's loader
 * dlopens the library named by NVTX_INJECTION64_PATH and calls its InitializeInjectionNvtx2 with the export-table
 * getter of the NVTX instance inside libalexnet-nvtx.so; the tool fills the core module's function table with its
 * own push, pop and mark. Each prints one line on stdout, so a test sees exactly what reached a tool.
 */
#include <stdio.h>

#include <nvtx3/nvToolsExt.h>

static int depth;

static int fake_push(const char *message)
{
    printf("nvtx push %d %s\n", depth, message);
    fflush(stdout);
    return depth++;
}

static int fake_pop(void)
{
    --depth;
    printf("nvtx pop %d\n", depth);
    fflush(stdout);
    return depth;
}

static void fake_mark(const char *message)
{
    printf("nvtx mark %s\n", message);
    fflush(stdout);
}

__attribute__((visibility("default"))) int InitializeInjectionNvtx2(NvtxGetExportTableFunc_t getExportTable)
{
    const NvtxExportTableCallbacks *callbacks =
        (const NvtxExportTableCallbacks *) getExportTable(NVTX_ETID_CALLBACKS);
    NvtxFunctionTable table = NULL;
    unsigned int size = 0;
    if (callbacks == NULL || !callbacks->GetModuleFunctionTable(NVTX_CB_MODULE_CORE, &table, &size)
            || size < NVTX_CBID_CORE_RangePop) {
        return 0;
    }
    *table[NVTX_CBID_CORE_RangePushA] = (NvtxFunctionPointer) fake_push;
    *table[NVTX_CBID_CORE_RangePop] = (NvtxFunctionPointer) fake_pop;
    *table[NVTX_CBID_CORE_MarkA] = (NvtxFunctionPointer) fake_mark;
    printf("nvtx tool attached\n");
    fflush(stdout);
    return 1;
}
