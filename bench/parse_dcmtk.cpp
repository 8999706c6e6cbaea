// DCMTK side of bench/parse-throughput.sh: the same files, passes and JSON output as radbridge-parsebench.
//
//   parse_dcmtk throughput --mode header|lazy|full [--reps N] [--warmup-seconds S] FILE...
//       header  DcmFileFormat::loadFileUntilTag(..., stop at (7FE0,0010)) — DCMTK's stop-before-pixels
//       lazy    DcmFileFormat::loadFile with the default maximum read length (4 KiB): longer values, the pixel
//               data among them, stay in the file until used
//       full    loadFile, then the pixel data fetched (loads it into memory) and touched
//   parse_dcmtk header-rss FILE    loadFileUntilTag of FILE, then the peak RSS (VmHWM)
//   parse_dcmtk baseline-rss       the peak RSS of this program with the data dictionary loaded
//
// Build: g++ -O2 -std=c++17 parse_dcmtk.cpp -o parse_dcmtk -ldcmdata -loflog -lofstd
#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dctk.h>
#include <dcmtk/oflog/oflog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <vector>

namespace {

long peakRssKiB()
{
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line))
        if (line.rfind("VmHWM:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
    std::fprintf(stderr, "error: no VmHWM in /proc/self/status\n");
    std::exit(1);
}

long long fileSize(const std::string& path)
{
    struct stat st {};
    if (stat(path.c_str(), &st) != 0) {
        std::fprintf(stderr, "error: cannot stat %s\n", path.c_str());
        std::exit(1);
    }
    return st.st_size;
}

// User + system CPU time of the process, in seconds.
double cpuSeconds()
{
    rusage ru {};
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

[[noreturn]] void fail(const std::string& path, const char* what)
{
    std::fprintf(stderr, "error: %s: %s\n", path.c_str(), what);
    std::exit(1);
}

// Returns the number of top-level elements, like the other harnesses.
unsigned long parse(const std::string& mode, const std::string& path)
{
    DcmFileFormat file;
    OFCondition status = mode == "header"
        ? file.loadFileUntilTag(path.c_str(), EXS_Unknown, EGL_noChange, DCM_MaxReadLength, ERM_autoDetect, DCM_PixelData)
        : file.loadFile(path.c_str());
    if (status.bad()) fail(path, status.text());
    DcmDataset* ds = file.getDataset();
    if (mode == "header" && ds->tagExists(DCM_PixelData)) fail(path, "pixel data read despite stopping before it");
    if (mode == "lazy" && !ds->tagExists(DCM_PixelData)) fail(path, "no pixel data");
    if (mode == "full") {
        const Uint16* pixels = nullptr;
        unsigned long count = 0;
        if (ds->findAndGetUint16Array(DCM_PixelData, pixels, &count).bad() || count == 0) fail(path, "no pixel data");
        if (pixels[0] + pixels[count - 1] < 0) fail(path, "unreadable pixel data");
    }
    const char* uid = nullptr;
    if (ds->findAndGetString(DCM_SOPInstanceUID, uid).bad() || uid == nullptr || *uid == 0) fail(path, "no SOP Instance UID");
    return ds->card();
}

} // namespace

int main(int argc, char** argv)
{
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        std::fprintf(stderr, "usage: parse_dcmtk throughput --mode header|lazy|full [--reps N] [--warmup-seconds S] FILE... | header-rss FILE | baseline-rss\n");
        return 1;
    }
    // loadFileUntilTag logs a warning per file when it stops; logging would be timed too, so only errors are shown.
    OFLog::configure(OFLogger::ERROR_LOG_LEVEL);
    if (!dcmDataDict.isDictionaryLoaded()) {
        std::fprintf(stderr, "error: DCMTK data dictionary not loaded\n");
        return 1;
    }
    if (args[0] == "baseline-rss") {
        std::printf("{\"tool\":\"dcmtk\",\"mode\":\"baseline\",\"peakRssKiB\":%ld}\n", peakRssKiB());
        return 0;
    }
    if (args[0] == "header-rss" && args.size() == 2) {
        unsigned long elements = parse("header", args[1]);
        std::printf("{\"tool\":\"dcmtk\",\"mode\":\"header-rss-stop\",\"fileBytes\":%lld,\"elements\":%lu,\"peakRssKiB\":%ld}\n",
            fileSize(args[1]), elements, peakRssKiB());
        return 0;
    }
    if (args[0] != "throughput") {
        std::fprintf(stderr, "error: unknown command %s\n", args[0].c_str());
        return 1;
    }
    std::string mode;
    int reps = 5;
    double warmupSeconds = 2.0;
    std::vector<std::string> files;
    for (size_t i = 1; i < args.size(); i++) {
        if (args[i] == "--mode" && i + 1 < args.size()) mode = args[++i];
        else if (args[i] == "--reps" && i + 1 < args.size()) reps = std::atoi(args[++i].c_str());
        else if (args[i] == "--warmup-seconds" && i + 1 < args.size()) warmupSeconds = std::atof(args[++i].c_str());
        else files.push_back(args[i]);
    }
    if (mode != "header" && mode != "lazy" && mode != "full") {
        std::fprintf(stderr, "error: unknown mode '%s'\n", mode.c_str());
        return 1;
    }
    if (files.empty() || reps < 1) {
        std::fprintf(stderr, "error: no input files or --reps below 1\n");
        return 1;
    }
    std::sort(files.begin(), files.end());
    long long bytes = 0;
    for (const auto& f : files) bytes += fileSize(f);

    // Untimed passes for a while first, the same policy as the other harnesses.
    unsigned long check = 0;
    for (auto warm = std::chrono::steady_clock::now();;) {
        check = 0;
        for (const auto& f : files) check += parse(mode, f);
        if (std::chrono::duration<double>(std::chrono::steady_clock::now() - warm).count() >= warmupSeconds) break;
    }
    std::string seconds, cpu;
    for (int i = 0; i < reps; i++) {
        double c0 = cpuSeconds();
        auto t0 = std::chrono::steady_clock::now();
        unsigned long count = 0;
        for (const auto& f : files) count += parse(mode, f);
        std::chrono::duration<double> dt = std::chrono::steady_clock::now() - t0;
        if (count != check) {
            std::fprintf(stderr, "error: a repetition parsed %lu elements, the warm-up %lu\n", count, check);
            return 1;
        }
        check = count;
        double c1 = cpuSeconds();
        char buf[32];
        std::snprintf(buf, sizeof buf, "%s%.9f", i ? "," : "", dt.count());
        seconds += buf;
        std::snprintf(buf, sizeof buf, "%s%.6f", i ? "," : "", c1 - c0);
        cpu += buf;
    }
    std::printf("{\"tool\":\"dcmtk\",\"version\":\"%s\",\"mode\":\"%s\",\"files\":%zu,\"bytes\":%lld,\"elements\":%lu,\"seconds\":[%s],\"cpuSeconds\":[%s]}\n",
        OFFIS_DCMTK_VERSION_STRING, mode.c_str(), files.size(), bytes, check, seconds.c_str(), cpu.c_str());
    return 0;
}
