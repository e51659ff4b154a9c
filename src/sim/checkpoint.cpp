// checkpoint/state.bin (sim/checkpoint.hpp).
#include "sim/checkpoint.hpp"

#include <fmt/format.h>

#include <cstring>
#include <stdexcept>

namespace synbench::sim {

using json = nlohmann::ordered_json;

std::string json_message(const std::exception& e) {
    std::string m = e.what();
    if (m.rfind("[json.exception.", 0) == 0)
        if (auto c = m.find("] "); c != std::string::npos) m = m.substr(c + 2);
    return m;
}

nlohmann::ordered_json row_to_checkpoint_json(const EpochRow& r) {
    nlohmann::ordered_json j;
    namespace E = sim::epoch;
    j[E::number.name] = r.epoch;
    j[E::accuracy.name] = r.accuracy;
    j[E::train_images.name] = r.train_images;
    auto put = [](const EpochCosts& c) {
        nlohmann::ordered_json o;
        for (const auto& f : kEpochCostFields) o[f.f.name] = c.*f.member;
        o["breakdown"] = c.breakdown;
        return o;
    };
    j["cost"] = put(r.cost);
    j["cum"] = put(r.cum);
    return j;
}

EpochRow row_from_checkpoint_json(const nlohmann::ordered_json& j) {
    EpochRow r;
    namespace E = sim::epoch;
    r.epoch = j.at(E::number.name).get<int>();
    r.accuracy = j.at(E::accuracy.name).get<double>();
    r.train_images = j.at(E::train_images.name).get<double>();
    auto get = [](const nlohmann::ordered_json& o) {
        EpochCosts c;
        for (const auto& f : kEpochCostFields) c.*f.member = o.at(f.f.name).get<double>();
        c.breakdown = o.at("breakdown");
        return c;
    };
    r.cost = get(j.at("cost"));
    r.cum = get(j.at("cum"));
    return r;
}

std::string checkpoint_blob(const std::vector<EpochRow>& rows, const std::string& state) {
    json rj = json::array();
    for (const auto& r : rows) rj.push_back(row_to_checkpoint_json(r));
    const std::string rows_text = rj.dump();
    const std::uint64_t len = rows_text.size();
    std::string blob(reinterpret_cast<const char*>(&len), sizeof len);
    blob += rows_text;
    blob += state;
    return blob;
}

CheckpointParts split_checkpoint(const std::string& blob, const std::filesystem::path& file) {
    std::uint64_t len = 0;
    if (blob.size() < sizeof len)
        throw std::runtime_error(file.string() + ": truncated checkpoint");
    std::memcpy(&len, blob.data(), sizeof len);
    if (len > blob.size() - sizeof len)
        throw std::runtime_error(file.string() + ": corrupt checkpoint");
    return {blob.substr(sizeof len, len), blob.substr(sizeof len + len)};
}

Checkpoint parse_checkpoint(const std::string& blob, const std::filesystem::path& file) {
    CheckpointParts parts = split_checkpoint(blob, file);
    Checkpoint c;
    try {
        auto rj = json::parse(parts.rows_json);
        for (const auto& r : rj) c.rows.push_back(row_from_checkpoint_json(r));
    } catch (const json::exception& e) {
        throw std::runtime_error(
            fmt::format("{}: corrupt checkpoint ({})", file.string(), json_message(e)));
    }
    c.trainer_state = std::move(parts.trainer_state);
    return c;
}

}  // namespace synbench::sim
