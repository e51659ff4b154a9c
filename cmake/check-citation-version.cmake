# ctest -R version: CITATION.cff's top-level `version:` equals the CMake project version.
# Usage: cmake -DFILE=CITATION.cff -DVERSION=x.y.z -P check-citation-version.cmake
file(STRINGS "${FILE}" lines REGEX "^version:")
list(LENGTH lines n)
if(NOT n EQUAL 1)
  message(FATAL_ERROR "${FILE}: expected exactly one top-level 'version:' line, found ${n}")
endif()
string(REGEX REPLACE "^version:[ \t]*[\"']?([^\"' \t]*)[\"']?[ \t]*$" "\\1" cff_version "${lines}")
if(NOT cff_version STREQUAL VERSION)
  message(FATAL_ERROR "${FILE}: version '${cff_version}' differs from the CMake project version '${VERSION}'")
endif()
message(STATUS "CITATION.cff version ${cff_version} = project version ${VERSION}")
