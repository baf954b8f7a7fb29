#include "services/geoenv/register.hpp"

#include <algorithm>
#include <tuple>

namespace minplan::services::geoenv {
namespace {

std::string key_of(const RegisterEvent& e) { return e.mine_name; }

int level_rank(const Settings& s, const std::string& level) {
    auto it = std::find(s.levels.begin(), s.levels.end(), level);
    return it == s.levels.end() ? -1 : static_cast<int>(it - s.levels.begin());
}

}  // namespace

std::vector<RegisterState> register_as_of(const Data& d, const std::string& date) {
    std::map<std::string, RegisterState> by_mine;
    for (const auto& e : d.register_events) {  // ordered by mine, then date
        if (e.date > date) continue;
        auto& st = by_mine[key_of(e)];
        st.mine_name = e.mine_name;
        if (!e.mine_id.empty()) st.mine_id = e.mine_id;
        st.state = e.state;
        st.since = e.date;
        if (!e.level.empty()) st.level = e.level;
        if (e.state == "退出") st.level.clear();
        if (!e.assessment.empty()) st.assessment = e.assessment;
        if (!e.licence_no.empty()) st.licence_no = e.licence_no;
        if (e.lon && e.lat) std::tie(st.lon, st.lat) = std::pair{e.lon, e.lat};
        st.listed = d.settings.listed_states.count(e.state) > 0;
    }
    std::vector<RegisterState> out;
    for (auto& [k, v] : by_mine) out.push_back(std::move(v));
    return out;
}

RegisterCounts register_counts(const Data& d, const std::string& date) {
    RegisterCounts c;
    for (const auto& st : register_as_of(d, date)) {
        if (!st.listed) continue;
        ++c.listed;
        ++c.by_level[st.level.empty() ? "未注明级别" : st.level];
    }
    return c;
}

std::vector<std::string> register_problems(const Settings& s, const std::vector<RegisterEvent>& events,
                                           const std::vector<std::string>& row_names, std::size_t accepted) {
    std::vector<std::string> found;
    std::vector<std::size_t> order(events.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return std::tie(events[a].mine_name, events[a].date) < std::tie(events[b].mine_name, events[b].date);
    });
    const RegisterEvent* prev = nullptr;
    std::size_t prev_index = 0;
    int level = -1;
    const std::string clause = s.register_clause_zh.empty() ? "" : "（" + s.register_clause_zh + "）";
    for (std::size_t i : order) {
        const RegisterEvent& e = events[i];
        const std::string& row = row_names[i];
        const bool first = !prev || prev->mine_name != e.mine_name;
        // Stored history (i < accepted) was accepted when it was imported or built (the seed's green mines start
        // at 入库): it sets the state the new events start from and is reported only where a new event precedes it.
        const std::size_t before = found.size();
        const bool report = i >= accepted || (!first && prev_index >= accepted);
        if (first) level = -1;
        if (first && !s.start_states.empty() && !s.start_states.count(e.state)) {
            std::string allowed;
            for (const auto& x : s.start_states) allowed += (allowed.empty() ? "" : "、") + x;
            found.push_back(row + "：矿山 " + e.mine_name + " 在名录中的第一条记录为“" + e.state + "”，应从“" + allowed +
                               "”开始 / the first event must be " + allowed + clause);
        } else if (!first) {
            auto it = s.transitions.find(prev->state);
            if (it != s.transitions.end() && !it->second.count(e.state)) {
                std::string allowed;
                for (const auto& x : it->second) allowed += (allowed.empty() ? "" : "、") + x;
                found.push_back(row + "：矿山 " + e.mine_name + " 由“" + prev->state + "”（" + prev->date + "）到“" + e.state +
                                   "”（" + e.date + "）不是允许的变更，“" + prev->state + "”之后应为：" + allowed +
                                   "（跳过或倒退须先退出）/ transition not allowed" + clause);
            }
        }
        if (e.state == "入库") {
            const int r = level_rank(s, e.level);
            if (e.level.empty() || (!s.levels.empty() && r < 0))
                found.push_back(row + "：矿山 " + e.mine_name + " 入库须注明级别（市级/省级/国家级），实际为“" + e.level +
                                   "” / 入库 needs a level");
            else if (r < level) found.push_back(row + "：矿山 " + e.mine_name + " 入库级别由“" + s.levels[level] + "”降为“" + e.level +
                                                   "”，降级须先退出名录 / a level may only rise without 退出");
            if (r > level) level = r;
        }
        if (e.state == "退出") level = -1;
        if (!report) found.resize(before);
        prev = &e;
        prev_index = i;
    }
    return found;
}

}  // namespace minplan::services::geoenv
