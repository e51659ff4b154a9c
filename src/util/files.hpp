// File helpers: atomic writes (write to a temporary, flush, fsync, rename) and hashing.
#pragma once

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synbench::util {

// An I/O failure (unwritable path, full disk, ...); the message names the path and the cause.
class IoError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// A command refusing to act because acting would lose data or mix two experiments (an occupied
// run directory, an output that is an input, a changed configuration on --resume, ...). The
// message names the path and the reason; the CLI exits with code 2 (bad input).
class Refused : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

// An exclusive lock on a run directory while a run writes it: flock(2) on DIR/.lock, released when
// the object is destroyed or the process dies (a SIGKILL leaves no stale lock). The file holds the
// holder's pid. Throws Refused naming the directory and the holder's pid when another process (or
// another DirLock in this one) holds it; IoError when the lock file cannot be created.
class DirLock {
   public:
    static constexpr const char* kFile = ".lock";
    explicit DirLock(const std::filesystem::path& dir);
    ~DirLock();
    DirLock(const DirLock&) = delete;
    DirLock& operator=(const DirLock&) = delete;

   private:
    int fd_ = -1;
};

// True when `inner` is `outer` itself or lies anywhere below it, after resolving symbolic links,
// "." and ".." (paths need not exist).
bool path_within(const std::filesystem::path& inner, const std::filesystem::path& outer);

// True when `dir` has no entries other than its lock file (DirLock::kFile). False for a missing
// directory.
bool empty_but_lock(const std::filesystem::path& dir);

// An output a command is about to write: fine when `path` does not exist, is an empty directory,
// or `ours()` recognises it as what an earlier run of the same command wrote; otherwise refused
// (Refused: "PATH: exists, is not empty and is not WHAT; refusing to replace it (use HOW)")
// unless `force`. No command overwrites what it did not create without --force.
void check_may_replace(const std::filesystem::path& path, bool force,
                       const std::function<bool()>& ours, std::string_view what,
                       std::string_view how);

// Writes `content` to `path` atomically: a reader sees either the old file or the complete new one.
// The parent directory must exist. Throws IoError naming the path and errno's text.
void write_atomic(const std::filesystem::path& path, std::string_view content);

// Reads a whole file; IoError when it cannot be read.
std::string read_file(const std::filesystem::path& path);

// Hex digests.
std::string sha256_hex(std::string_view bytes);
std::string sha256_file(const std::filesystem::path& path);
// Base64 of the raw SHA-512 digest of a file, the form npm's "integrity" uses after "sha512-".
std::string sha512_base64_file(const std::filesystem::path& path);

}  // namespace synbench::util
