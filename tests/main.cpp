#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

// Scratch directories (std::filesystem::temp_directory_path, i.e. $TMPDIR) are per build: builds
// and worktrees testing at the same time never share a run directory, which is locked while a run
// writes it (a second run there is refused).
int main(int argc, char* argv[]) {
    std::error_code ec;
    std::filesystem::create_directories(SYNBENCH_TEST_TMP, ec);
    if (!ec) ::setenv("TMPDIR", SYNBENCH_TEST_TMP, 1);
    return Catch::Session().run(argc, argv);
}
