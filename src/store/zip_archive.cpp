#include "store/zip_archive.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cpl_vsi.h>

#include <fstream>
#include <iterator>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/gdal_handles.hpp"

namespace minplan::store {
namespace {

struct ZipCloser {
    void operator()(void* h) const {
        if (h) CPLCloseZip(h);
    }
};

}  // namespace

void write_zip(const std::filesystem::path& zip, const std::vector<std::filesystem::path>& files) {
    detail::ensure_gdal_registered();
    std::unique_ptr<void, ZipCloser> h(CPLCreateZip(zip.c_str(), nullptr));
    if (!h) throw IoError("无法创建压缩包 " + zip.string() + ": " + detail::last_gdal_error());
    for (const auto& f : files) {
        std::ifstream in(f, std::ios::binary);
        if (!in) throw IoError("无法读取 " + f.string());
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        if (CPLCreateFileInZip(h.get(), f.filename().c_str(), nullptr) != CE_None ||
            CPLWriteFileInZip(h.get(), bytes.data(), static_cast<int>(bytes.size())) != CE_None ||
            CPLCloseFileInZip(h.get()) != CE_None)
            throw IoError("写入压缩包失败 " + zip.string() + " (" + f.filename().string() + "): " + detail::last_gdal_error());
    }
    if (CPLCloseZip(h.release()) != CE_None) throw IoError("无法完成压缩包 " + zip.string() + ": " + detail::last_gdal_error());
}

std::vector<std::filesystem::path> extract_zip(const std::filesystem::path& zip, const std::filesystem::path& dir) {
    detail::ensure_gdal_registered();
    const std::string root = "/vsizip/" + zip.string();
    char** names = VSIReadDir(root.c_str());
    if (!names) throw InputError(zip.string() + " 不是可读取的 zip 压缩包 / not a readable zip archive");
    std::vector<std::string> entries;
    for (char** n = names; *n; ++n) entries.emplace_back(*n);
    CSLDestroy(names);
    std::vector<std::filesystem::path> out;
    for (const auto& name : entries) {
        if (name.find('/') != std::string::npos || name.find('\\') != std::string::npos || name == "." || name == "..")
            throw InputError(zip.string() + " 中的条目 “" + name + "” 带有路径 / an entry with a path");
        const std::string inner = root + "/" + name;
        VSIStatBufL st;
        if (VSIStatL(inner.c_str(), &st) != 0) throw IoError("无法读取压缩包条目 " + name);
        if (VSI_ISDIR(st.st_mode)) throw InputError(zip.string() + " 中有文件夹 “" + name + "”：交换包的文件应在压缩包根目录 / a folder in the bundle");
        VSILFILE* f = VSIFOpenL(inner.c_str(), "rb");
        if (!f) throw IoError("无法读取压缩包条目 " + name + ": " + detail::last_gdal_error());
        const auto target = dir / name;
        std::ofstream o(target, std::ios::binary);
        char buf[1 << 16];
        size_t n = 0;
        while ((n = VSIFReadL(buf, 1, sizeof buf, f)) > 0) o.write(buf, static_cast<std::streamsize>(n));
        VSIFCloseL(f);
        if (!o) throw IoError("无法写入 " + target.string());
        out.push_back(target);
    }
    return out;
}

}  // namespace minplan::store
