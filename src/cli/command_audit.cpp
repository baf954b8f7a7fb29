// minplan audit: re-checks every existing right in mineral_rights and writes a findings table; with
// --overlaps, also the overlap of every right with every plan feature (the batch engine, audit_batch.hpp).
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <fstream>
#include <memory>
#include <ostream>
#include <sstream>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

#include "cli/command.hpp"
#include "store/plan_database.hpp"
#include "core/error.hpp"
#include "core/progress.hpp"
#include "rules/audit_batch.hpp"
#include "store/plan_store.hpp"

namespace minplan::cli {
namespace {

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> out;
    std::stringstream in(text);
    for (std::string item; std::getline(in, item, ',');)
        if (!item.empty()) out.push_back(item);
    return out;
}

// A JSON text one level deeper (its lines after the first indented by two), as an array element of dump(2).
std::string indented(const std::string& text) {
    std::string out;
    out.reserve(text.size() + text.size() / 16);
    for (char c : text) {
        out += c;
        if (c == '\n') out += "  ";
    }
    return out;
}

// Each right's output text, kept in an unnamed temporary file (std::tmpfile: gone when closed) by offset and
// length and read back in layer order at the end: memory is 16 bytes a right, not its text (20 KB a right in
// the benchmark, where every overlapping patch is named: 0.45 GB for 20,000 rights, more for a province).
class SpilledTexts {
public:
    SpilledTexts() : file_(std::tmpfile()) {
        if (!file_) throw IoError("无法创建临时文件（审查结果暂存）/ cannot create a temporary file");
    }
    ~SpilledTexts() { std::fclose(file_); }
    SpilledTexts(const SpilledTexts&) = delete;
    SpilledTexts& operator=(const SpilledTexts&) = delete;
    void put(std::size_t i, const std::string& text) {
        if (spans_.size() <= i) spans_.resize(i + 1);
        if (::fseeko(file_, 0, SEEK_END) != 0 || std::fwrite(text.data(), 1, text.size(), file_) != text.size())
            throw IoError("无法写入临时文件（磁盘已满？）/ cannot write a temporary file");
        spans_[i] = {end_, text.size()};
        end_ += static_cast<off_t>(text.size());
    }
    void push_back(const std::string& text) { put(spans_.size(), text); }
    std::size_t size() const { return spans_.size(); }
    bool empty() const { return spans_.empty(); }
    // Every text in order, straight from the file into `out` through one 64 KiB buffer: no string and no
    // seek per right. Copying 20,000 rights' texts back with get() was up to a second after the workers
    // had finished (a read, a write and a zeroed string per right), all of it on one core.
    void write_all(std::ostream& out) {
        if (std::fflush(file_) != 0) throw IoError("无法写入临时文件（磁盘已满？）/ cannot write a temporary file");
        const int fd = ::fileno(file_);
        std::vector<char> buffer(64 * 1024);
        std::size_t used = 0;
        for (const auto& [offset, length] : spans_)
            for (std::size_t done = 0; done < length;) {
                if (used == buffer.size()) {
                    out.write(buffer.data(), static_cast<std::streamsize>(used));
                    used = 0;
                }
                const std::size_t want = std::min(length - done, buffer.size() - used);
                const ssize_t got = ::pread(fd, buffer.data() + used, want, offset + static_cast<off_t>(done));
                if (got < 0 && errno == EINTR) continue;
                if (got <= 0) throw IoError("无法读取临时文件 / cannot read a temporary file");
                used += static_cast<std::size_t>(got);
                done += static_cast<std::size_t>(got);
            }
        out.write(buffer.data(), static_cast<std::streamsize>(used));
    }
    std::string get(std::size_t i) {
        std::string text(spans_[i].second, '\0');
        if (::fseeko(file_, spans_[i].first, SEEK_SET) != 0 || std::fread(text.data(), 1, text.size(), file_) != text.size())
            throw IoError("无法读取临时文件 / cannot read a temporary file");
        return text;
    }

private:
    std::FILE* file_;
    std::vector<std::pair<off_t, std::size_t>> spans_;
    off_t end_ = 0;
};

class AuditCommand final : public Command {
public:
    void setup(CLI::App& sub) override {
        sub.add_option("--rules", rules_, "规则文件，替代规划数据库中的规则（默认：数据库中的 rules.json）/ rule set")->check(CLI::ExistingFile);
        sub.add_option("--format", format_, "csv | json（默认 csv）")->check(CLI::IsMember({"csv", "json"}));
        sub.add_option("--out", out_, "输出文件（默认标准输出）");
        sub.add_option("--overlaps", overlaps_,
                       "另写每个矿业权与每个规划要素的重叠面积 CSV（right_id,layer,feature_id,overlap_m2；椭球面积，平方米）");
        sub.add_option("--layers", layers_, "参与叠加的规划图层，逗号分隔（默认：除矿业权外的全部空间图层）");
        sub.add_option("--threads", threads_, "工作线程数（默认：每个处理器核一个）");
    }
    int run(Context& ctx) override {
        auto store = store::open_store_at(resolve_db(ctx), ctx.as_of);
        auto setup = rules::ReviewSetup::load(*store, rules_);
        rules::BatchOptions options;
        options.as_of = ctx.as_of;
        options.layers = split_list(layers_);
        options.threads = threads_;
        for (const auto& id : options.layers)
            if (!setup->index->layer(id)) throw InputError("--layers：规划数据库中没有空间图层“" + id + "” / unknown layer");
        // The overlaps are written as each tile is done: the file never waits in memory.
        std::unique_ptr<std::ofstream> overlap_file;
        rules::BatchSinks sinks;
        if (!overlaps_.empty()) {
            overlap_file = std::make_unique<std::ofstream>(overlaps_, std::ios::binary);
            if (!(*overlap_file << rules::overlap_csv_header())) throw IoError("无法写入 " + overlaps_ + " / cannot write");
            sinks.overlaps = [&](const std::vector<rules::OverlapRow>& rows) { *overlap_file << rules::overlap_csv_rows(rows); };
        }
        std::unique_ptr<Progress> progress;
        sinks.progress = [&](std::size_t done, std::size_t total) {
            if (!progress) progress = std::make_unique<Progress>("审查矿业权", total);
            progress->advance(done - reported_);
            reported_ = done;
        };
        // Each right's findings become their output text as its tile is delivered: the reports (with every
        // overlap's evidence) are never all held; the text is spilled per right and written in layer order.
        const bool json = format_ == "json" || ctx.json;
        SpilledTexts texts;
        std::size_t count = 0;
        int bad = 0, review = 0;
        sinks.entry = [&](std::size_t ordinal, rules::AuditEntry&& e) {
            texts.put(ordinal, json ? indented(rules::audit_entry_json(e).dump(2)) : rules::audit_csv_rows(e));
            ++count;
            bad += e.report.verdict == rules::Verdict::NonConformant;
            review += e.report.verdict == rules::Verdict::Review;
        };
        auto result = rules::audit_batch(*setup->engine, options, sinks);
        progress.reset();
        if (overlap_file && !overlap_file->flush()) throw IoError("无法写入 " + overlaps_ + " / cannot write");
        std::unique_ptr<std::ofstream> file;
        if (!out_.empty()) file = std::make_unique<std::ofstream>(out_, std::ios::binary);
        std::ostream& out = file ? static_cast<std::ostream&>(*file) : ctx.out;
        if (json) {
            // As nlohmann::json::dump(2) prints the array of audit_to_json (elements indented by two).
            for (const auto& s : result.skipped) texts.push_back(indented(rules::audit_skipped_json(s).dump(2)));
            if (texts.empty()) out << "[]\n";
            else {
                out << "[\n";
                for (std::size_t i = 0; i < texts.size(); ++i) out << "  " << texts.get(i) << (i + 1 < texts.size() ? ",\n" : "\n");
                out << "]\n";
            }
        } else {
            out << rules::audit_csv_header();
            texts.write_all(out);
            out << rules::audit_csv_skipped(result.skipped);
        }
        if (file && !file->flush()) throw IoError("无法写入 " + out_ + " / cannot write");
        for (const auto& s : result.skipped)
            ctx.err << "跳过：" << s.layer << (s.feature_id.empty() ? "" : " " + s.feature_id) << "：" << s.message_zh << "\n";
        ctx.err << "已审查矿业权 " << count << " 个：不符合 " << bad << " 个，需人工核查 " << review << " 个"
                << (result.skipped.empty() ? "" : "；跳过或修复 " + std::to_string(result.skipped.size()) + " 项（见上）")
                << (count == 0 ? "（矿业权图层为空：请先用 minplan import mineral_rights 导入现有矿业权）" : "") << "\n";
        return 0;
    }

private:
    std::string rules_, format_ = "csv", out_, overlaps_, layers_;
    unsigned threads_ = 0;
    std::size_t reported_ = 0;
};

}  // namespace

std::unique_ptr<Command> make_audit() { return std::make_unique<AuditCommand>(); }

}  // namespace minplan::cli
