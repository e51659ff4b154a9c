#include "util/files.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <vector>

namespace synbench::util {
namespace {

[[noreturn]] void fail(const std::filesystem::path& p, std::string_view what, int err) {
    throw IoError(fmt::format("{}: {}: {}", p.string(), what, std::strerror(err)));
}

struct Fd {
    int fd = -1;
    ~Fd() {
        if (fd >= 0) ::close(fd);
    }
};

}  // namespace

void write_atomic(const std::filesystem::path& path, std::string_view content) {
    auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
    std::string leaf(".");
    leaf.append(path.filename().string());
    leaf.append(".tmp-XXXXXX");
    std::string tmpl = (dir / leaf).string();
    std::vector<char> name(tmpl.begin(), tmpl.end());
    name.push_back('\0');
    Fd f;
    f.fd = ::mkstemp(name.data());
    if (f.fd < 0) fail(path, "cannot create a file in its directory", errno);
    std::filesystem::path tmp(name.data());
    auto cleanup = [&] { ::unlink(tmp.c_str()); };
    std::size_t done = 0;
    while (done < content.size()) {
        auto n = ::write(f.fd, content.data() + done, content.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            int e = errno;
            cleanup();
            fail(path, "write failed", e);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fchmod(f.fd, 0644) != 0 || ::fsync(f.fd) != 0) {
        int e = errno;
        cleanup();
        fail(path, "flush failed", e);
    }
    if (::close(f.fd) != 0) {
        f.fd = -1;
        int e = errno;
        cleanup();
        fail(path, "close failed", e);
    }
    f.fd = -1;
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        int e = errno;
        cleanup();
        fail(path, "rename failed", e);
    }
    // Make the rename itself durable.
    Fd d;
    d.fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY);
    if (d.fd >= 0) ::fsync(d.fd);
}

DirLock::DirLock(const std::filesystem::path& dir) {
    const auto path = dir / kFile;
    fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) fail(path, "cannot create the lock file", errno);
    if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
        const int e = errno;
        std::string holder;
        char buf[32] = {};
        const auto n = ::pread(fd_, buf, sizeof buf - 1, 0);
        for (ssize_t i = 0; i < n && buf[i] >= '0' && buf[i] <= '9'; ++i) holder += buf[i];
        ::close(fd_);
        fd_ = -1;
        if (e != EWOULDBLOCK) fail(path, "cannot lock", e);
        throw Refused(fmt::format(
            "{}: in use by another synbench run (pid {}, lock {}); wait for it to finish or choose "
            "another --out",
            dir.string(), holder.empty() ? std::string("unknown") : holder, path.string()));
    }
    const std::string pid = std::to_string(::getpid()) + "\n";
    if (::ftruncate(fd_, 0) != 0 ||
        ::pwrite(fd_, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
        const int e = errno;
        ::close(fd_);
        fd_ = -1;
        fail(path, "cannot write the lock file", e);
    }
}

DirLock::~DirLock() {
    if (fd_ >= 0) ::close(fd_);  // releases the flock; the file stays (removing it would race)
}

bool path_within(const std::filesystem::path& inner, const std::filesystem::path& outer) {
    std::error_code ec;
    auto a = std::filesystem::weakly_canonical(std::filesystem::absolute(inner, ec), ec);
    auto b = std::filesystem::weakly_canonical(std::filesystem::absolute(outer, ec), ec);
    if (ec) return false;
    a = a.lexically_normal();
    b = b.lexically_normal();
    auto ai = a.begin();
    for (auto bi = b.begin(); bi != b.end(); ++bi, ++ai) {
        if (bi->empty() && std::next(bi) == b.end()) break;  // trailing separator of "dir/"
        if (ai == a.end() || *ai != *bi) return false;
    }
    return true;
}

bool empty_but_lock(const std::filesystem::path& dir) {
    std::error_code ec;
    if (!std::filesystem::is_directory(dir, ec)) return false;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec))
        if (e.path().filename() != DirLock::kFile) return false;
    return !ec;
}

void check_may_replace(const std::filesystem::path& path, bool force,
                       const std::function<bool()>& ours, std::string_view what,
                       std::string_view how) {
    std::error_code ec;
    if (force || !std::filesystem::exists(path, ec) || empty_but_lock(path) || ours()) return;
    throw Refused(
        fmt::format("{}: exists, is not empty and is not {}; refusing to replace it (use {})",
                    path.string(), what, how));
}

std::string read_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(fmt::format("{}: cannot be read (missing or not readable)", path.string()));
    in.seekg(0, std::ios::end);
    const auto size = in.tellg();
    in.seekg(0, std::ios::beg);
    std::string s(size > 0 ? static_cast<std::size_t>(size) : 0, '\0');
    if (size > 0) in.read(s.data(), size);
    if (in.bad() || (size > 0 && in.gcount() != size))
        throw IoError(fmt::format("{}: read error", path.string()));
    return s;
}

namespace {

std::vector<unsigned char> digest_stream(std::istream& in, const EVP_MD* md,
                                         const std::filesystem::path& p) {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
        throw IoError("OpenSSL digest initialisation failed");
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        auto got = in.gcount();
        if (got > 0) EVP_DigestUpdate(ctx.get(), buf.data(), static_cast<std::size_t>(got));
    }
    if (in.bad()) throw IoError(fmt::format("{}: read error", p.string()));
    std::vector<unsigned char> out(EVP_MAX_MD_SIZE);
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
    out.resize(len);
    return out;
}

std::string hex(const std::vector<unsigned char>& d) {
    std::string s;
    for (auto c : d) s += fmt::format("{:02x}", c);
    return s;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_sha256(), nullptr);
    return hex(std::vector<unsigned char>(out, out + len));
}

std::string sha256_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(fmt::format("{}: cannot be read (missing or not readable)", path.string()));
    return hex(digest_stream(in, EVP_sha256(), path));
}

std::string sha512_base64_file(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(fmt::format("{}: cannot be read (missing or not readable)", path.string()));
    auto d = digest_stream(in, EVP_sha512(), path);
    std::string out(4 * ((d.size() + 2) / 3) + 1, '\0');
    int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), d.data(),
                            static_cast<int>(d.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

}  // namespace synbench::util
