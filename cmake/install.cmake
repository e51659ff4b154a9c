# Installation (issue 16): the binary, the library with its headers, the cards, the docs, a man
# page, a CMake package (find_package(synbench) → synbench::synbench), a pkg-config file, and a
# Debian package through CPack (`cpack -G DEB` in the build directory).
#
#   <prefix>/bin/synbench
#   <prefix>/lib/libsynbench.a, lib/cmake/synbench/, lib/pkgconfig/synbench.pc
#   <prefix>/include/synbench/<module>/*.hpp
#   <prefix>/share/synbench/{tech,devices,networks,sweeps,macros,measured}   (found by the installed binary)
#   <prefix>/share/doc/synbench/, share/man/man1/synbench.1
include(CMakePackageConfigHelpers)

install(TARGETS synbench_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(TARGETS synbench EXPORT synbenchTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/synbench)
install(DIRECTORY src/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/synbench
        FILES_MATCHING PATTERN "*.hpp" PATTERN "cli" EXCLUDE)
install(DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/generated/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/synbench
        FILES_MATCHING PATTERN "*.hpp")

# Cards: the installed binary finds them by name (util/card_search.hpp: <exe>/../share/synbench).
foreach(kind tech devices networks sweeps macros)
  if(IS_DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/${kind})
    install(DIRECTORY ${kind} DESTINATION ${CMAKE_INSTALL_DATADIR}/synbench FILES_MATCHING PATTERN "*.yaml")
  endif()
endforeach()
install(DIRECTORY data/measured DESTINATION ${CMAKE_INSTALL_DATADIR}/synbench)
# The converter survey fit, found by macro cards as <search root>/data/converter-survey.yaml.
install(FILES data/converter-survey.yaml DESTINATION ${CMAKE_INSTALL_DATADIR}/synbench/data)

install(FILES README.md LICENSE CHANGELOG.md CITATION.cff DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${CMAKE_INSTALL_DOCDIR})

# Man page from --help (help2man, Debian package help2man; tools/install-deps installs it).
find_program(SYNBENCH_HELP2MAN help2man)
if(SYNBENCH_HELP2MAN)
  add_custom_command(OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/synbench.1
    COMMAND ${SYNBENCH_HELP2MAN} --no-info --section=1 --version-string=${PROJECT_VERSION}
            --name=${PROJECT_DESCRIPTION} --include=${CMAKE_CURRENT_SOURCE_DIR}/cmake/synbench.h2m
            --output=${CMAKE_CURRENT_BINARY_DIR}/synbench.1 $<TARGET_FILE:synbench_cli>
    DEPENDS synbench_cli ${CMAKE_CURRENT_SOURCE_DIR}/cmake/synbench.h2m
    COMMENT "Man page synbench.1 (help2man)" VERBATIM)
  add_custom_target(synbench_man ALL DEPENDS ${CMAKE_CURRENT_BINARY_DIR}/synbench.1)
  install(FILES ${CMAKE_CURRENT_BINARY_DIR}/synbench.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(STATUS "help2man not found: no man page is installed (tools/install-deps installs help2man)")
endif()

# CMake package.
set(SYNBENCH_WITH_MPI OFF)
if(TARGET MPI::MPI_CXX AND MPI_CXX_FOUND)
  set(SYNBENCH_WITH_MPI ON)
endif()
set(SYNBENCH_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/synbench)
install(EXPORT synbenchTargets NAMESPACE synbench:: DESTINATION ${SYNBENCH_CMAKE_DIR})
set(SYNBENCH_INSTALL_DATADIR ${CMAKE_INSTALL_DATADIR}/synbench)
configure_package_config_file(cmake/synbenchConfig.cmake.in ${CMAKE_CURRENT_BINARY_DIR}/synbenchConfig.cmake
  INSTALL_DESTINATION ${SYNBENCH_CMAKE_DIR} PATH_VARS SYNBENCH_INSTALL_DATADIR)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/synbenchConfigVersion.cmake COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/synbenchConfig.cmake ${CMAKE_CURRENT_BINARY_DIR}/synbenchConfigVersion.cmake
        DESTINATION ${SYNBENCH_CMAKE_DIR})

# pkg-config: relocatable (paths relative to the .pc file), since the prefix is chosen at install time.
file(RELATIVE_PATH SYNBENCH_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
set(SYNBENCH_PC_REQUIRES "yaml-cpp eigen3 tbb fmt nlohmann_json libcrypto")  # static library: its needs are public
if(SYNBENCH_WITH_MPI)
  string(APPEND SYNBENCH_PC_REQUIRES " mpi-c")
endif()
configure_file(cmake/synbench.pc.in ${CMAKE_CURRENT_BINARY_DIR}/synbench.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/synbench.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Debian package: cpack -G DEB (in the build directory) → synbench_<version>_<arch>.deb.
set(CPACK_PACKAGE_NAME synbench)
set(CPACK_PACKAGE_VENDOR "synbench developers")
set(CPACK_PACKAGE_CONTACT "synbench developers <dev@synbench.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "${PROJECT_DESCRIPTION}")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_CURRENT_SOURCE_DIR}/LICENSE)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_GENERATOR DEB)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
# The Debian 12 packages of the shared libraries the binary links (ldd build/synbench | dpkg -S).
set(CPACK_DEBIAN_PACKAGE_DEPENDS "libc6, libstdc++6, libgcc-s1, libyaml-cpp0.7, libtbb12, libfmt9, libssl3")
if(SYNBENCH_WITH_MPI)
  string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", libopenmpi3")
endif()
# What find_package(synbench) / pkg-config need to compile against the installed library.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "libyaml-cpp-dev, libeigen3-dev, libtbb-dev, libfmt-dev, nlohmann-json3-dev, librandom123-dev, libssl-dev, libopenmpi-dev, openmpi-bin")
include(CPack)
