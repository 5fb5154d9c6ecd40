# Package: run by CPack after it staged the install, before it builds the .deb
# (CPACK_PRE_BUILD_SCRIPTS): adds what only the Debian package carries, the
# copyright file, changelog.Debian.gz (gzip -9n, as policy wants) and the lintian
# overrides. CPackConfig.cmake provides CPACK_NEWSHOUND_EXTRAS_DIR and the staging
# directory CPACK_TEMPORARY_INSTALL_DIRECTORY.

get_filename_component(nh_src "${CMAKE_CURRENT_LIST_DIR}" DIRECTORY)
set(nh_root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
set(nh_doc "${nh_root}/usr/share/doc/newshound")
if(NOT IS_DIRECTORY "${nh_doc}")
  message(FATAL_ERROR "deb_extras: no ${nh_doc} in the staged package")
endif()
execute_process(COMMAND gzip -9nc "${CPACK_NEWSHOUND_EXTRAS_DIR}/changelog.Debian"
                OUTPUT_FILE "${nh_doc}/changelog.Debian.gz" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "deb_extras: gzip changelog.Debian failed: ${rc}")
endif()
file(COPY "${nh_src}/packaging/copyright" DESTINATION "${nh_doc}")
file(MAKE_DIRECTORY "${nh_root}/usr/share/lintian/overrides")
file(COPY_FILE "${nh_src}/packaging/lintian-overrides"
     "${nh_root}/usr/share/lintian/overrides/newshound")
