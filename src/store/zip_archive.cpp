#include "store/zip_archive.hpp"

#include <cpl_conv.h>
#include <cpl_error.h>

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

}  // namespace minplan::store
