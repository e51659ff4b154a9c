// File helpers: atomic writes (write to a temporary, flush, fsync, rename) and hashing.
#pragma once

#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

namespace synbench::util {

// An I/O failure (unwritable path, full disk, ...); the message names the path and the cause.
class IoError : public std::runtime_error {
   public:
    using std::runtime_error::runtime_error;
};

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
