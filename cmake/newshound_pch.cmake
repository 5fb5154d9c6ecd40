# Build time: the precompiled Catch2 header of the test binaries (NEWSHOUND_PCH).
# Owns the PCH donor targets and which test target reuses which PCH.
#
# Catch2 v2 is one 17,000-line header that every test file includes: about 0.8 s
# of parsing per file under ASan, paid by some 170 files per build tree. A
# precompiled header parses it once per tree. GCC uses a PCH only when the
# compiling flags match those it was made with (otherwise it falls back to the
# plain header, silently; -Winvalid-pch says so), so the PCH is made by a small
# donor object library with the flags and defines of the tests that reuse it
# (REUSE_FROM): a donor of its own, not one of the tests, so that building one
# test binary (scripts/test.sh's TARGETS) does not build the binary the PCH
# came from.
#
# Only Catch2: the Asio/Beast/SSL/JSON headers were measured too (unit_sink,
# ASan -O0 -g1): a PCH of them saves under 1 s of the 16 s of a file that uses
# them (the time goes to instantiating and compiling their templates, which a
# PCH does not save), costs 0.5 s more in a file that includes them without
# using them (the code those headers make every file emit), and making it takes
# 16 s.
#
# Off by default, like NEWSHOUND_UNITY: a PCH puts its header in every file of a
# test, so a missing #include of Catch2 would not show; scripts/test.sh turns it on.
option(NEWSHOUND_PCH "Precompile the Catch2 header for the test binaries" OFF)

if(NEWSHOUND_PCH)
  # A PCH that cannot be used is a warning (not an error): the build stays
  # correct, only slower, and the log says why.
  add_compile_options(-Winvalid-pch -Wno-error=invalid-pch)
endif()

# newshound_pch_donor(NAME [LEAN] LIBS l...): an object library of one empty file
# that makes the Catch2 PCH with the flags and defines of LIBS' users (and those
# of newshound_lean_ubsan() with LEAN).
function(newshound_pch_donor name)
  cmake_parse_arguments(ARG "LEAN" "" "LIBS" ${ARGN})
  set(stub ${CMAKE_BINARY_DIR}/pch/${name}.cpp)
  file(CONFIGURE OUTPUT ${stub} CONTENT "// Build time: the PCH donor ${name} (cmake/newshound_pch.cmake).\n")
  add_library(${name} OBJECT ${stub})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS})
  target_precompile_headers(${name} PRIVATE <catch2/catch.hpp>)
  if(ARG_LEAN)
    newshound_lean_ubsan(${name})
  endif()
endfunction()

# newshound_pch_reuse(DONOR targets...): those of the targets that exist reuse DONOR's PCH.
function(newshound_pch_reuse donor)
  foreach(t ${ARGN})
    if(TARGET ${t})
      target_precompile_headers(${t} REUSE_FROM ${donor})
    endif()
  endforeach()
endfunction()

# newshound_pch_apply(): called once every test target exists (tests/CMakeLists.txt).
function(newshound_pch_apply)
  if(NOT NEWSHOUND_PCH)
    return()
  endif()
  # The donors have only the defines every test has (GCC does not use a PCH made
  # with a macro the file does not define: -Winvalid-pch), and link none of our
  # libraries: that would make a donor wait for that library to build.
  set(libs newshound_testlib Catch2::Catch2)
  newshound_pch_donor(newshound_pch_test LIBS ${libs})
  newshound_pch_reuse(newshound_pch_test unit_util unit_net unit_source unit_decode unit_normalize unit_match
                      unit_stories unit_encode unit_config)
  # The tests with newshound_lean_ubsan() (the Asio-heavy ones): under ASan + UBSan
  # their flags differ; otherwise they are the same and share the one PCH.
  set(lean_donor newshound_pch_test)
  if(NEWSHOUND_SANITIZE AND NOT NEWSHOUND_SANITIZE STREQUAL "thread")
    set(lean_donor newshound_pch_test_lean)
    newshound_pch_donor(${lean_donor} LEAN LIBS ${libs})
  endif()
  newshound_pch_reuse(${lean_donor} unit_sink unit_daemon pipeline e2e)
endfunction()
