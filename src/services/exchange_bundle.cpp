#include "services/exchange_bundle.hpp"

#include <sodium.h>

#include <fstream>
#include <iterator>
#include <set>

#include "core/error.hpp"
#include "formats/xlsx_writer.hpp"
#include "rules/external_tool.hpp"
#include "services/changesets.hpp"
#include "services/plan_diff.hpp"
#include "services/qc/gate.hpp"
#include "store/database_copy.hpp"
#include "store/exchange.hpp"
#include "store/zip_archive.hpp"

namespace minplan::services {

namespace fs = std::filesystem;

namespace {

constexpr const char* kDatabaseFile = "plan.gpkg";
constexpr const char* kMetadataFile = "metadata.json";

std::string sha256_of(const fs::path& file) {
    if (sodium_init() < 0) throw InternalError("libsodium 初始化失败");
    std::ifstream in(file, std::ios::binary);
    if (!in) throw IoError("无法读取 " + file.string());
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    char buf[1 << 16];
    while (in.read(buf, sizeof buf) || in.gcount() > 0)
        crypto_hash_sha256_update(&st, reinterpret_cast<const unsigned char*>(buf), static_cast<unsigned long long>(in.gcount()));
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, out);
    char hex[crypto_hash_sha256_BYTES * 2 + 1];
    sodium_bin2hex(hex, sizeof hex, out, sizeof out);
    return hex;
}

std::string day_before(const std::string& date) {
    int y = std::stoi(date.substr(0, 4)), m = std::stoi(date.substr(5, 2)), d = std::stoi(date.substr(8, 2));
    if (--d == 0) {
        if (--m == 0) {
            m = 12;
            --y;
        }
        static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        d = days[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
    }
    char b[16];
    std::snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
    return b;
}

}  // namespace

nlohmann::json export_bundle(const store::PlanDatabase& db, const fs::path& zip, const BundleOptions& options) {
    if (fs::exists(zip)) throw InputError(zip.string() + " 已存在：交换包不覆盖已有文件 / the bundle file exists");
    nlohmann::json meta = {{"format", kBundleFormat}, {"crs", "EPSG:4490"}, {"encoding", options.encoding}, {"created_at", store::now_shanghai()}};
    std::string as_of = options.as_of.empty() ? store::today() : store::parse_date(options.as_of, "--as-of");
    std::optional<store::ChangeSet> cs;
    if (options.change_set) {
        cs = db.change_set(options.change_set);
        if (!cs) throw NotFoundError("没有调整批次 " + std::to_string(options.change_set) + " / no such change set");
        if (cs->state != store::kApproved)
            throw InputError("调整批次 " + std::to_string(cs->id) + " 状态为" + store::state_zh(cs->state) + "：只有已批准的批次可以汇交 / only an approved set");
        if (options.as_of.empty()) as_of = cs->effective_date;
        meta["change_set"] = {{"id", cs->id}, {"name", cs->name}, {"kind", cs->kind}, {"year", cs->year}, {"doc_no", cs->doc_no},
                              {"doc_date", cs->doc_date}, {"effective_date", cs->effective_date}, {"items", cs->items.size()}};
    }
    rules::TempDir dir("minplan-bundle-");
    store::copy_database(db, dir.path() / kDatabaseFile);
    auto snap = db.snapshot_at(as_of);
    meta["plan_id"] = snap->metadata("id").value_or("");
    meta["plan_name"] = snap->metadata("name_zh").value_or("");
    meta["version"] = snap->version();
    meta["as_of"] = as_of;
    for (const auto& l : snap->layers())
        if (l.spatial) store::export_layer(*snap, l.id, dir.path() / (l.code + ".shp"), {options.encoding});
    if (cs) {
        auto diff = diff_plan(db, day_before(cs->effective_date), cs->effective_date);
        formats::write_xlsx(dir.path() / "调整情况表.xlsx", diff_tables(diff));
    }
    std::vector<fs::path> files;
    nlohmann::json listed = nlohmann::json::array();
    for (const auto& e : fs::directory_iterator(dir.path())) files.push_back(e.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) listed.push_back({{"name", f.filename().string()}, {"bytes", fs::file_size(f)}, {"sha256", sha256_of(f)}});
    meta["files"] = listed;
    std::ofstream(dir.path() / kMetadataFile) << meta.dump(2) << "\n";
    files.push_back(dir.path() / kMetadataFile);
    store::write_zip(zip, files);
    return meta;
}

nlohmann::json open_bundle(const fs::path& zip, const fs::path& dir) {
    auto extracted = store::extract_zip(zip, dir);
    const std::string name = zip.filename().string();
    const fs::path meta_file = dir / kMetadataFile;
    if (!fs::exists(meta_file)) throw InputError(name + " 缺少 metadata.json：不是 minplan 交换包 / not an exchange bundle");
    std::ifstream in(meta_file);
    auto meta = nlohmann::json::parse(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()), nullptr, false);
    if (!meta.is_object() || meta.value("format", "") != kBundleFormat)
        throw InputError(name + " 的 metadata.json 不是 " + kBundleFormat + " 格式 / unknown bundle format");
    std::vector<std::string> problems;
    std::set<std::string> listed{kMetadataFile};
    for (const auto& f : meta.value("files", nlohmann::json::array())) {
        const std::string file = f.value("name", "");
        listed.insert(file);
        if (!fs::exists(dir / file)) {
            problems.push_back(file + "：清单中列出但压缩包中没有 / listed but missing");
            continue;
        }
        if (sha256_of(dir / file) != f.value("sha256", ""))
            problems.push_back(file + "：SHA-256 校验不符（文件已损坏或被改动）/ checksum mismatch");
    }
    for (const auto& p : extracted)
        if (!listed.count(p.filename().string())) problems.push_back(p.filename().string() + "：不在 metadata.json 的文件清单中 / not listed");
    if (!listed.count(kDatabaseFile)) problems.push_back(std::string(kDatabaseFile) + "：交换包缺少规划数据库 / no database");
    if (!problems.empty()) throw ProblemsError(name + " 校验未通过，未导入任何数据 / the bundle failed its checks:", problems);
    return meta;
}

qc::QcReport qc_bundle(const fs::path& zip) {
    rules::TempDir dir("minplan-bundle-");
    open_bundle(zip, dir.path());
    auto store = store::open_store((dir.path() / kDatabaseFile).string());
    auto report = qc::run_qc(*store);
    report.database = zip.filename().string();
    return report;
}

BundleImport import_bundle(const fs::path& zip, const fs::path& target, const std::string& actor, bool force, const std::string& force_reason) {
    if (force && force_reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("强制导入（--force）须说明理由（--reason）/ forcing an import needs a reason");
    rules::TempDir dir("minplan-bundle-");
    BundleImport out;
    out.metadata = open_bundle(zip, dir.path());
    {
        auto store = store::open_store((dir.path() / kDatabaseFile).string());
        out.qc = qc::run_qc(*store);
    }
    const bool errors = out.qc.has_errors();
    if (errors && !force) qc::gate(out.qc, "exchange import " + zip.filename().string(), false);
    auto db = store::install_database(dir.path() / kDatabaseFile, target);
    db->append_audit({0, "", actor, "", "exchange.import", "交换包 " + zip.filename().string(), "",
                      out.metadata.value("plan_name", "") + "，版本 " + std::to_string(out.metadata.value("version", 0)) + "，" +
                          out.metadata.value("as_of", "") + "；质检：错误 " + std::to_string(out.qc.count(qc::Severity::Error)) +
                          (errors ? "（强制导入，理由：" + force_reason + "）" : "")});
    return out;
}

ChangeSetImport import_changeset_bundle(const fs::path& zip, store::PlanDatabase& db, const std::string& actor) {
    rules::TempDir dir("minplan-bundle-");
    ChangeSetImport out;
    out.metadata = open_bundle(zip, dir.path());
    const std::string name = zip.filename().string();
    if (!out.metadata.contains("change_set") || !out.metadata["change_set"].is_object())
        throw InputError(name + " 不含调整批次（导出时未用 --changeset）：只能导入为新数据库 / the bundle holds no change set");
    const std::string plan = out.metadata.value("plan_id", "");
    const std::string here = db.snapshot()->metadata("id").value_or("");
    if (plan.empty() || plan != here)
        throw InputError(name + " 的规划为 “" + plan + "”，目标数据库的规划为 “" + here + "”：调整批次只能导入同一规划的数据库 / another plan");
    const std::int64_t id = out.metadata["change_set"].value("id", std::int64_t{0});
    std::optional<store::ChangeSet> cs;
    {
        auto bundled = store::open_database((dir.path() / kDatabaseFile).string());
        cs = bundled->change_set(id);
    }
    if (!cs) throw InputError(name + " 的数据库中没有 metadata.json 所列的调整批次 " + std::to_string(id) + " / the bundle's change set is missing");
    out.items = cs->items.size();
    out.change_set = recreate_change_set(db, *cs, actor, "交换包 " + name);
    return out;
}

}  // namespace minplan::services
