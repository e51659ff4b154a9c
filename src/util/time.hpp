// Wall-clock timestamps for manifests.
#pragma once

#include <ctime>
#include <string>

namespace synbench::util {

// The current UTC time as ISO 8601 ("2026-11-28T16:00:00Z").
inline std::string iso_now() {
    auto t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace synbench::util
