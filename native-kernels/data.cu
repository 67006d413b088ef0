// Batch preparation on the GPU from the uint8 CIFAR-10 images resident in device memory
// (module "data", cuda/ptx/data.ptx).
//
// Kernel (launcher: org.alexnetcuda.kernels.DataKernels):
//   data_prepare_batch(float* out, int* labels_out, const unsigned char* images, const unsigned char* labels,
//                      int count, const int* perm, const int* batch_start, int batch, int size,
//                      const int* crop, const int* flip)
//   Block ELEMENTWISE_BLOCK (256), grid min(ceil(batch * 3 * size * size / 256), ELEMENTWISE_MAX_GRID), no
//   shared memory; one output element per thread per grid-stride iteration. Output writes are consecutive
//   (coalesced); the reads gather from one 3 KiB source image per sample, which the caches hold.
//   data_prepare_batch_half(unsigned short* out, int* labels_out, const unsigned char* images,
//                           const unsigned char* labels, int count, const int* perm, const int* batch_start,
//                           int batch, int size, const int* crop, const int* flip, int fmt)
//   The same with a 16-bit out of format fmt (common.cuh: 1 fp16, 2 bf16), same launch shape: each element is
//   the float kernel's value rounded to nearest even (labels as int32 as before).
//
// In one pass, for sample k < batch of the batch (org.alexnetcuda.data.Preprocessing.fillBatch/fillLabels
// bit for bit, with crop[2k], crop[2k+1], flip[k] = Augment.dx(), dy(), flip() of sample k):
//   idx = perm[*batch_start + k]       (perm null: idx = *batch_start + k; batch_start null: 0)
//   labels_out[k] = labels[idx]        (uint8 -> int32)
//   image idx of `images` ([count x 3072] bytes: R, G, B planes of 32 x 32, row-major) is
//   1. cropped and flipped: pixel (y, x) of the 32 x 32 result is source pixel (y + dy - 4, xs + dx - 4),
//      xs = flip ? 31 - x : x, or 0 (black) outside the image: a crop at (dx, dy), each in [0, 8], of the
//      image zero-padded by 4, then a left-right flip; crop null means dx = dy = 4 (none), flip null no flip;
//   2. scaled to v = pixel / 255.0f;
//   3. resized to size x size, bilinear as PyTorch F.interpolate(mode="bilinear", align_corners=False),
//      per axis (org.alexnetcuda.data.BilinearResize): in double, s = max(0, 32.0 / size * (d + 0.5) - 0.5),
//      i0 = (int)s, i1 = min(i0 + 1, 31), then in float w1 = (float)(s - i0), w0 = 1 - w1, and
//        row(r) = w0x * v[r][x0] + w1x * v[r][x1];   v = w0y * row(y0) + w1y * row(y1);
//   4. normalised: out = (v - mean[c]) / std[c] into out[k][c][y][x] (float NCHW).
// The float operations are the Java ones in the same order (no FMA: --fmad=false), so the batch is the same
// bit for bit as the CPU engine's for the same decisions, which are inputs (device arrays the host writes per
// batch from Augment.forBatch). The source coordinate is recomputed per element in double instead of being
// read from precomputed tables: a few FP64 operations per axis, negligible next to the memory traffic.
//
// batch_start is read from device memory, like the step of Adam and dropout, so a captured graph can
// replay every batch of an epoch with the same arguments.
#include "common.cuh"

#define CIFAR_SIDE 32
#define CIFAR_PLANE (CIFAR_SIDE * CIFAR_SIDE)
#define CIFAR_IMAGE (3 * CIFAR_PLANE)
#define CROP_PADDING 4

// Per-channel statistics of the CIFAR-10 training set (R, G, B) of pixel / 255 (Preprocessing.MEAN, STD).
static __host__ __device__ __forceinline__ float channel_mean(int c) {
    return c == 0 ? 0.4914f : (c == 1 ? 0.4822f : 0.4465f);
}
static __host__ __device__ __forceinline__ float channel_std(int c) {
    return c == 0 ? 0.2470f : (c == 1 ? 0.2435f : 0.2616f);
}

// Source indices and weights of output index dst along one axis (BilinearResize's tables).
struct BilinearTap {
    int i0, i1;
    float w0, w1;
};

static __host__ __device__ __forceinline__ BilinearTap bilinear_tap(int dst, double ratio) {
    double s = ratio * ((double)dst + 0.5) - 0.5;
    if (s < 0.0) {
        s = 0.0;
    }
    BilinearTap t;
    t.i0 = (int)s;  // s >= 0: truncation is floor; s < 31.5 for every output size, so i0 <= 31
    t.i1 = t.i0 < CIFAR_SIDE - 1 ? t.i0 + 1 : t.i0;
    t.w1 = (float)(s - (double)t.i0);
    t.w0 = 1.0f - t.w1;
    return t;
}

// Pixel (y, x) of one channel plane after crop and flip, as pixel / 255; 0 in the padding.
static __host__ __device__ __forceinline__ float augmented_pixel(const unsigned char* plane, int y, int x, int dx,
                                                                 int dy, bool flip) {
    int sy = y + dy - CROP_PADDING;
    int sx = (flip ? CIFAR_SIDE - 1 - x : x) + dx - CROP_PADDING;
    if (sy < 0 || sy >= CIFAR_SIDE || sx < 0 || sx >= CIFAR_SIDE) {
        return 0.0f;
    }
    return (float)plane[sy * CIFAR_SIDE + sx] / 255.0f;
}

static __host__ __device__ __forceinline__ int sample_index(const int* perm, int start, int k) {
    return perm != nullptr ? perm[start + k] : start + k;
}

// One body for float (T = float, fmt ignored) and 16-bit (T = unsigned short) outputs.
template <class T>
static __host__ __device__ __forceinline__ void prepare_batch(T* out, int* labels_out, const unsigned char* images,
                                                              const unsigned char* labels, int count, const int* perm,
                                                              const int* batch_start, int batch, int size,
                                                              const int* crop, const int* flip, int fmt) {
    const int start = batch_start != nullptr ? *batch_start : 0;
    const long long total = 3LL * size * size * batch;
    // The launcher keeps a batch under 2^31 floats, so the index arithmetic below can be 32-bit
    // (64-bit integer division costs several times more on the GPU).
    KERNEL_REQUIRE(total <= 0x7fffffffLL);
    const int per_channel = size * size;
    const int per_sample = 3 * per_channel;
    const double ratio = (double)CIFAR_SIDE / (double)size;
    GRID_STRIDE_LOOP(e, total) {
        if (e < batch) {
            int idx = sample_index(perm, start, (int)e);
            KERNEL_REQUIRE(idx >= 0 && idx < count);
            labels_out[e] = (int)labels[idx];
        }
        const int element = (int)e;
        const int k = element / per_sample;
        const int rem = element - k * per_sample;
        const int c = rem / per_channel;
        const int pixel = rem - c * per_channel;
        const int oy = pixel / size;
        const int ox = pixel - oy * size;

        const int idx = sample_index(perm, start, k);
        KERNEL_REQUIRE(idx >= 0 && idx < count);
        const unsigned char* plane = images + (long long)idx * CIFAR_IMAGE + c * CIFAR_PLANE;
        const int dx = crop != nullptr ? crop[2 * k] : CROP_PADDING;
        const int dy = crop != nullptr ? crop[2 * k + 1] : CROP_PADDING;
        const bool flipped = flip != nullptr && flip[k] != 0;

        const BilinearTap ty = bilinear_tap(oy, ratio);
        const BilinearTap tx = bilinear_tap(ox, ratio);
        float row0 = tx.w0 * augmented_pixel(plane, ty.i0, tx.i0, dx, dy, flipped) +
                     tx.w1 * augmented_pixel(plane, ty.i0, tx.i1, dx, dy, flipped);
        float row1 = tx.w0 * augmented_pixel(plane, ty.i1, tx.i0, dx, dy, flipped) +
                     tx.w1 * augmented_pixel(plane, ty.i1, tx.i1, dx, dy, flipped);
        float v = ty.w0 * row0 + ty.w1 * row1;
        store_element(out, e, (v - channel_mean(c)) / channel_std(c), fmt);
    }
}

extern "C" __global__ void data_prepare_batch(float* out, int* labels_out, const unsigned char* images,
                                              const unsigned char* labels, int count, const int* perm,
                                              const int* batch_start, int batch, int size, const int* crop,
                                              const int* flip) {
    prepare_batch(out, labels_out, images, labels, count, perm, batch_start, batch, size, crop, flip, STORAGE_F32);
}

extern "C" __global__ void data_prepare_batch_half(unsigned short* out, int* labels_out, const unsigned char* images,
                                                   const unsigned char* labels, int count, const int* perm,
                                                   const int* batch_start, int batch, int size, const int* crop,
                                                   const int* flip, int fmt) {
    KERNEL_REQUIRE(fmt == STORAGE_F16 || fmt == STORAGE_BF16);
    prepare_batch(out, labels_out, images, labels, count, perm, batch_start, batch, size, crop, flip, fmt);
}
