// openjph_shim.cpp: a C ABI over OpenJPH (HTJ2K, ISO/IEC 15444-15), which only has a C++ API, for RadBridge's
// P/Invoke. Built into libradbridge_openjph.so by src/RadBridge.Dicom.Imaging's build (see build.sh).
//
// Only encoding goes through here. Decoding HTJ2K is left to OpenJPEG 2.5: OpenJPH 0.9 hung for minutes on
// codestreams with a few flipped header bits in our fuzzing, which no up-front check can rule out.
//
// Rules of this boundary: no C++ exception crosses it (every entry point catches everything and returns a
// non-zero code with a message in the caller's buffer), and OpenJPH writes nothing on stderr: its message
// handlers are replaced where the library honours configure_*() (0.10 and later; in 0.9 these are no-ops) and
// its message streams point at /dev/null otherwise, so that 0.9's errors still arrive as exceptions.

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <new>
#include <stdexcept>
#include <string>

#include <openjph/ojph_arch.h>
#include <openjph/ojph_codestream.h>
#include <openjph/ojph_file.h>
#include <openjph/ojph_mem.h>
#include <openjph/ojph_message.h>
#include <openjph/ojph_params.h>

#define RB_EXPORT extern "C" __attribute__((visibility("default")))

namespace {

// OpenJPH reports errors through a global handler that must not return; ours throws with the formatted text.
class throwing_error : public ojph::message_error {
public:
    void operator()(int code, const char*, int, const char* fmt, ...) override {
        char text[512];
        va_list args;
        va_start(args, fmt);
        std::vsnprintf(text, sizeof text, fmt, args);
        va_end(args);
        throw std::runtime_error(std::string(text) + " (OpenJPH error 0x" + to_hex(code) + ")");
    }
private:
    static std::string to_hex(int code) {
        char b[16];
        std::snprintf(b, sizeof b, "%08X", static_cast<unsigned>(code));
        return b;
    }
};

// Warnings and information are dropped: what matters reaches the caller as an error or as decoded pixels.
class silent_warning : public ojph::message_warning {
public:
    void operator()(int, const char*, int, const char*, ...) override {}
};

class silent_info : public ojph::message_info {
public:
    void operator()(int, const char*, int, const char*, ...) override {}
};

void install_handlers() {
    static std::once_flag once;
    std::call_once(once, [] {
        static throwing_error error;
        static silent_warning warning;
        static silent_info info;
        ojph::configure_error(&error);
        ojph::configure_warning(&warning);
        ojph::configure_info(&info);
        if (FILE* null_stream = std::fopen("/dev/null", "w")) {
            ojph::set_error_stream(null_stream);
            ojph::set_warning_stream(null_stream);
            ojph::set_info_stream(null_stream);
        }
    });
}

int fail(char* message, size_t capacity, const char* text) {
    if (message != nullptr && capacity > 0) {
        std::snprintf(message, capacity, "%s", text);
    }
    return 1;
}

}  // namespace

// Encodes interleaved 32-bit samples (already within `bit_depth` bits, two's complement when signed).
// reversible: 5/3 wavelet (lossless), else 9/7 with quantisation step `qstep`. color_transform: RCT/ICT on
// 3 components. rpcl: RPCL progression order (else OpenJPH's default). On success *out is a malloc'd
// codestream of *out_size bytes for rb_ojph_free.
RB_EXPORT int rb_ojph_encode(const int32_t* samples, uint32_t width, uint32_t height, uint32_t components,
                             uint32_t bit_depth, int is_signed, int reversible, int color_transform, float qstep,
                             int rpcl, uint32_t decompositions, uint8_t** out, size_t* out_size,
                             char* message, size_t capacity) {
    try {
        install_handlers();
        if (samples == nullptr || out == nullptr || out_size == nullptr || width == 0 || height == 0 ||
            components == 0 || components > 4 || bit_depth < 1 || bit_depth > 16 || decompositions > 32) {
            return fail(message, capacity, "invalid arguments");
        }
        *out = nullptr;
        *out_size = 0;
        ojph::codestream codestream;
        ojph::param_siz siz = codestream.access_siz();
        siz.set_image_extent(ojph::point(width, height));
        siz.set_num_components(components);
        for (uint32_t c = 0; c < components; ++c) {
            siz.set_component(c, ojph::point(1, 1), bit_depth, is_signed != 0);
        }
        siz.set_image_offset(ojph::point(0, 0));
        siz.set_tile_size(ojph::size(width, height));
        siz.set_tile_offset(ojph::point(0, 0));
        ojph::param_cod cod = codestream.access_cod();
        cod.set_num_decomposition(decompositions);
        cod.set_block_dims(64, 64);
        cod.set_progression_order(rpcl ? "RPCL" : "CPRL");
        cod.set_color_transform(color_transform != 0 && components == 3);
        cod.set_reversible(reversible != 0);
        if (!reversible) codestream.access_qcd().set_irrev_quant(qstep);
        codestream.set_planar(false);

        ojph::mem_outfile output;
        output.open();
        codestream.write_headers(&output);
        ojph::ui32 comp = 0;
        ojph::line_buf* line = codestream.exchange(nullptr, comp);
        for (uint32_t y = 0; y < height; ++y) {
            for (uint32_t c = 0; c < components; ++c) {
                const int32_t* source = samples + static_cast<size_t>(y) * width * components + comp;
                int32_t* target = line->i32;
                for (uint32_t x = 0; x < width; ++x) target[x] = source[static_cast<size_t>(x) * components];
                line = codestream.exchange(line, comp);
            }
        }
        codestream.flush();
        const size_t length = static_cast<size_t>(output.tell());
        uint8_t* buffer = static_cast<uint8_t*>(std::malloc(length == 0 ? 1 : length));
        if (buffer == nullptr) {
            codestream.close();
            return fail(message, capacity, "out of memory");
        }
        std::memcpy(buffer, output.get_data(), length);
        codestream.close();
        *out = buffer;
        *out_size = length;
        return 0;
    } catch (const std::exception& e) {
        // OpenJPH 0.9's own handler throws the bare text "ojph error": say at least that the encoder refused.
        return fail(message, capacity, std::strcmp(e.what(), "ojph error") == 0 ? "OpenJPH refused the image or parameters" : e.what());
    } catch (...) {
        return fail(message, capacity, "unknown OpenJPH failure");
    }
}

RB_EXPORT void rb_ojph_free(uint8_t* buffer) { std::free(buffer); }

// The OpenJPH version the shim was built against, e.g. "0.9.0".
RB_EXPORT const char* rb_ojph_version() {
    static char text[32];
    std::snprintf(text, sizeof text, "%d.%d.%d", OPENJPH_VERSION_MAJOR, OPENJPH_VERSION_MINOR, OPENJPH_VERSION_PATCH);
    return text;
}
