#include <fmt/format.h>

#include <iostream>

#include "cli/checks.hpp"
#include "cli/commands.hpp"
#include "config/config.hpp"
#include "nn/dataset.hpp"
#include "util/build_info.hpp"
#include "util/files.hpp"

int main(int argc, char** argv) {
    CLI::App app{
        "synbench: benchmark memristive synapses for on-chip learning, from device card to chip "
        "budget"};
    app.require_subcommand(1);
    app.set_version_flag("--version", std::string("synbench ") + synbench::build::kVersion + " (" +
                                          synbench::build::kGitRevision + ")");
    synbench::cli::add_data_command(app);
    synbench::cli::add_validate_command(app);
    synbench::cli::add_train_command(app);
    synbench::cli::add_sweep_command(app);
    synbench::cli::add_device_command(app);
    synbench::cli::add_report_command(app);
    synbench::cli::add_compare_command(app);
    synbench::cli::add_bench_command(app);
    synbench::cli::add_reproduce_command(app);
    synbench::cli::add_estimate_command(app);
    synbench::cli::add_infer_command(app);
    synbench::cli::add_cards_command(app);
    synbench::cli::add_completion_command(app);
    synbench::cli::forbid_empty_values(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : synbench::cli::kExitBadInput;
    } catch (const synbench::cli::ExitRequest& e) {
        if (!e.message.empty()) std::cerr << e.message << "\n";
        return e.code;
    } catch (const synbench::config::Error& e) {
        std::cerr << "error: " << e.what() << "\n";
        return synbench::cli::kExitBadInput;
    } catch (const synbench::nn::DataError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return synbench::cli::kExitBadInput;
    } catch (const synbench::util::Refused& e) {
        std::cerr << "error: " << e.what() << "\n";
        return synbench::cli::kExitBadInput;
    } catch (const synbench::util::IoError& e) {
        std::cerr << "error: " << e.what() << "\n";
        return synbench::cli::kExitFailure;
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return synbench::cli::kExitFailure;
    }
    return 0;
}
