# Package: the Debian package (CPack DEB generator), built by scripts/package.sh
# and tested in a Debian 12 chroot by scripts/package-test.sh. It holds what
# `cmake --install --prefix /usr` installs (CPACK_SET_DESTDIR: the install script
# sees the prefix /usr and stages through DESTDIR, so /etc stays /etc), plus the
# copyright and changelog Debian wants, the maintainer scripts in this folder
# (system user, state directory, unit enabled but not started, purge) and the
# conffiles list. Library dependencies come from dpkg-shlibdeps, not from a list.

set(NEWSHOUND_DEB_REVISION 1 CACHE STRING "Debian revision of the package (0.1.0-<this>)")
set(NEWSHOUND_MAINTAINER "newshound maintainers <maintainers@users.noreply.h-seed-17f4a11a.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME newshound)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_SET_DESTDIR ON)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "streaming newswire filter daemon")
set(CPACK_PACKAGE_DESCRIPTION
    "newshound reads news articles (NDJSON, ninjs) from TCP feeds, matches them\n"
    "against watch-lists of names and boolean topics with Hyperscan, and\n"
    "forwards alerts to files, TCP receivers and webhooks. It runs as a hardened\n"
    "systemd service, and its command line also checks configs and filters once.")
string(JOIN "" CPACK_PACKAGE_DESCRIPTION ${CPACK_PACKAGE_DESCRIPTION})
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${NEWSHOUND_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_RELEASE ${NEWSHOUND_DEB_REVISION})
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The maintainer scripts' tools, not libraries: adduser/deluser, deb-systemd-helper.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "adduser, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS logrotate)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)

# conffiles: everything installed under /etc (the prefix /usr maps sysconfdir there).
file(GLOB nh_watchlists RELATIVE ${CMAKE_SOURCE_DIR}/config/watchlists
     CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/config/watchlists/*)
list(SORT nh_watchlists)
set(nh_conffiles "/etc/logrotate.d/newshound\n/etc/newshound/newshound.toml\n")
foreach(w ${nh_watchlists})
  string(APPEND nh_conffiles "/etc/newshound/watchlists/${w}\n")
endforeach()
set(nh_control ${CMAKE_BINARY_DIR}/packaging)
file(WRITE ${nh_control}/conffiles "${nh_conffiles}")
foreach(script postinst prerm postrm)
  configure_file(${CMAKE_SOURCE_DIR}/packaging/${script} ${nh_control}/${script} COPYONLY
                 FILE_PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                                  WORLD_READ WORLD_EXECUTE)
endforeach()
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${nh_control}/conffiles ${nh_control}/postinst ${nh_control}/prerm ${nh_control}/postrm)

# /usr/share/doc/newshound/{copyright,changelog.Debian.gz} and the lintian
# overrides (each tag explained in packaging/lintian-overrides).
string(TIMESTAMP nh_date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE ${nh_control}/changelog.Debian
     "newshound (${PROJECT_VERSION}-${NEWSHOUND_DEB_REVISION}) unstable; urgency=medium\n\n"
     "  * Package built from the project's sources by scripts/package.sh.\n\n"
     " -- ${NEWSHOUND_MAINTAINER}  ${nh_date}\n")
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_SOURCE_DIR}/packaging/deb_extras.cmake)
set(CPACK_NEWSHOUND_EXTRAS_DIR ${nh_control})  # CPACK_*: CPackConfig.cmake passes it on

include(CPack)
