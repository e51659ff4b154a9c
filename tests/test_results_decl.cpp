// The per-epoch result fields are declared once (sim/results.hpp); the files, the report and the
// docs follow the declaration.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>
#include <set>
#include <string>

#include "report/run_data.hpp"
#include "run_fixture.hpp"
#include "sim/results.hpp"
#include "sim/run.hpp"
#include "report/run_files.hpp"
#include "sim/checkpoint.hpp"
#include "sim/summary_fields.hpp"
#include "util/files.hpp"

using namespace synbench;

TEST_CASE("results: docs/run-directory.md's epochs.csv table is the declaration's",
          "[results][docs]") {
    const auto doc = util::read_file(test::repo("docs/run-directory.md"));
    const std::string begin = "<!-- epoch-fields:begin (generated from src/sim/results.hpp) -->\n",
                      end = "<!-- epoch-fields:end -->";
    const auto a = doc.find(begin), b = doc.find(end);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    // On failure, paste the expected text between the markers.
    CHECK(doc.substr(a + begin.size(), b - a - begin.size()) == sim::epoch_fields_markdown());
    // The header line shown in the doc is the one written.
    std::string header;
    for (const auto& c : sim::epoch_columns()) header += (header.empty() ? "" : ",") + c;
    CHECK(doc.find("```\n" + header + "\n```") != std::string::npos);
}

TEST_CASE("results: every declared field is a column, a JSON key and survives the checkpoint",
          "[results]") {
    // The header in the contract's order, with nothing undeclared and no name twice.
    const auto cols = sim::epoch_columns();
    CHECK(cols.size() == sim::kEpochRowFields.size() + 2 * sim::kEpochCostFields.size());
    CHECK(std::set<std::string>(cols.begin(), cols.end()).size() == cols.size());
    CHECK(report::epoch_columns() == cols);
    // Each field gets its own value through CSV, epochs.json and the checkpoint.
    sim::EpochRow r;
    r.epoch = 1;
    r.accuracy = 50;
    r.train_images = 7;
    double v = 1;
    for (const auto& f : sim::kEpochCostFields) {
        r.cost.*f.member = v;
        r.cum.*f.member = 100 + v;
        v += 1;
    }
    r.cost.breakdown = nlohmann::ordered_json::object();
    r.cum.breakdown = nlohmann::ordered_json::object();
    const auto csv = report::parse_epochs_csv(report::epochs_csv({r}), "epochs.csv");
    const auto json = report::epochs_json({r});
    const auto back = sim::row_from_checkpoint_json(sim::row_to_checkpoint_json(r));
    v = 1;
    for (const auto& f : sim::kEpochCostFields) {
        CAPTURE(f.f.name);
        CHECK(csv.column(f.f.name) == std::vector<double>{v});
        CHECK(csv.column(std::string("cum_") + f.f.name) == std::vector<double>{100 + v});
        CHECK(json["epochs"][0][f.f.name].get<double>() == v);
        CHECK(back.cost.*f.member == v);
        CHECK(back.cum.*f.member == 100 + v);
        v += 1;
    }
    // Adding costs adds every declared field.
    sim::EpochCosts sum;
    sim::add_costs(sum, r.cost);
    sim::add_costs(sum, r.cum);
    for (const auto& f : sim::kEpochCostFields)
        CHECK(sum.*f.member == r.cost.*f.member + r.cum.*f.member);
}

namespace {

// The rows JSON of a checkpoint/state.bin blob: [8-byte length][rows JSON][trainer state].
nlohmann::ordered_json checkpoint_rows(const std::string& blob) {
    std::uint64_t len = 0;
    REQUIRE(blob.size() >= sizeof len);
    std::memcpy(&len, blob.data(), sizeof len);
    return nlohmann::ordered_json::parse(blob.substr(sizeof len, len));
}

std::string blob_of(const nlohmann::ordered_json& rows, const std::string& state) {
    const std::string text = rows.dump();
    const std::uint64_t len = text.size();
    return std::string(reinterpret_cast<const char*>(&len), sizeof len) + text + state;
}

}  // namespace

TEST_CASE("results: the checkpoint holds every declared field and refuses one without it",
          "[results][checkpoint]") {
    sim::EpochRow r;
    r.epoch = 3;
    r.accuracy = 61.5;
    r.train_images = 800;
    double v = 0.25;
    for (const auto& f : sim::kEpochCostFields) {
        r.cost.*f.member = v;
        r.cum.*f.member = 3 * v + 1;
        v *= 3;
    }
    r.cost.breakdown = nlohmann::ordered_json{{"array", 1.5}};
    r.cum.breakdown = nlohmann::ordered_json::object();
    const std::string state("trainer\0state", 13);
    const std::string blob = sim::checkpoint_blob({r, r}, state);
    // Every declared field is in the file under its declared name (a field added to the
    // declaration but not to the checkpoint fails here).
    const auto rows = checkpoint_rows(blob);
    REQUIRE(rows.size() == 2);
    for (const auto& f : sim::kEpochRowFields) {
        CAPTURE(f.name);
        CHECK(rows[0].contains(f.name));
    }
    for (const auto& f : sim::kEpochCostFields) {
        CAPTURE(f.f.name);
        CHECK(rows[0]["cost"][f.f.name].get<double>() == r.cost.*f.member);
        CHECK(rows[0]["cum"][f.f.name].get<double>() == r.cum.*f.member);
    }
    // ... and comes back with its value, the trainer state byte for byte.
    const auto back = sim::parse_checkpoint(blob, "state.bin");
    REQUIRE(back.rows.size() == 2);
    CHECK(back.trainer_state == state);
    CHECK(back.rows[1].epoch == 3);
    CHECK(back.rows[1].accuracy == 61.5);
    CHECK(back.rows[1].train_images == 800);
    CHECK(back.rows[1].cost.breakdown == r.cost.breakdown);
    for (const auto& f : sim::kEpochCostFields) {
        CAPTURE(f.f.name);
        CHECK(back.rows[1].cost.*f.member == r.cost.*f.member);
        CHECK(back.rows[1].cum.*f.member == r.cum.*f.member);
    }
    // A checkpoint lacking any declared field is refused, naming the file and the field.
    std::vector<std::pair<std::string, std::string>> cases;  // (part, field)
    for (const auto& f : sim::kEpochRowFields) cases.emplace_back("", f.name);
    for (const auto& f : sim::kEpochCostFields) {
        cases.emplace_back("cost", f.f.name);
        cases.emplace_back("cum", f.f.name);
    }
    for (const auto& [part, field] : cases) {
        CAPTURE(part, field);
        auto broken = rows;
        (part.empty() ? broken[1] : broken[1][part]).erase(field);
        CHECK_THROWS_WITH(sim::parse_checkpoint(blob_of(broken, state), "ck/state.bin"),
                          Catch::Contains("ck/state.bin: corrupt checkpoint") &&
                              Catch::Contains("'" + field + "'"));
    }
    CHECK_THROWS_WITH(sim::parse_checkpoint(blob.substr(0, 5), "ck/state.bin"),
                      "ck/state.bin: truncated checkpoint");
}

TEST_CASE("results: docs/run-directory.md's summary.json table is the declaration's",
          "[results][docs]") {
    const auto doc = util::read_file(test::repo("docs/run-directory.md"));
    const std::string
        begin = "<!-- summary-fields:begin (generated from src/sim/summary_fields.hpp) -->\n",
        end = "<!-- summary-fields:end -->";
    const auto a = doc.find(begin), b = doc.find(end);
    REQUIRE(a != std::string::npos);
    REQUIRE(b != std::string::npos);
    CHECK(doc.substr(a + begin.size(), b - a - begin.size()) == sim::summary::fields_markdown());
    std::set<std::string> paths;
    for (const auto& f : sim::summary::kAll) paths.insert(f.path);
    CHECK(paths.size() == sim::summary::kAll.size());
}
