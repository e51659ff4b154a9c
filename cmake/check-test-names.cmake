# ctest -R "test names": no Catch2 test name may contain ';'. catch_discover_tests registers the name
# cut at the ';' (a CMake list separator), and ctest then runs a filter that matches no test case:
# the test "passes" without running anything.
# Usage: cmake -DDIR=tests -P check-test-names.cmake
file(GLOB_RECURSE sources "${DIR}/*.cpp")
set(bad "")
foreach(src IN LISTS sources)
  file(STRINGS "${src}" hits REGEX "TEST_CASE\\(\"[^\"]*;")
  foreach(h IN LISTS hits)
    string(APPEND bad "\n  ${src}: ${h}")
  endforeach()
endforeach()
if(bad)
  message(FATAL_ERROR "test names with ';' (ctest would run nothing for them):${bad}")
endif()
message(STATUS "no Catch2 test name contains ';'")
