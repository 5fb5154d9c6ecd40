# Install: runs inside `cmake --install` (install(SCRIPT) in CMakeLists.txt), so
# the config, the logrotate snippet and the systemd unit follow the prefix given
# at INSTALL time (--prefix, CPack's), not only the one given at configure time
# (directories: cmake/newshound_dirs.cmake). file(INSTALL) adds $ENV{DESTDIR}.
# Set before this runs (install(CODE)): NEWSHOUND_SOURCE_DIR, NEWSHOUND_BINARY_DIR
# and the configured, usually relative, NEWSHOUND_BINDIR, NEWSHOUND_SYSCONFDIR,
# NEWSHOUND_DOCDIR.

include("${NEWSHOUND_SOURCE_DIR}/cmake/newshound_dirs.cmake")
nh_install_dirs("${CMAKE_INSTALL_PREFIX}" "${NEWSHOUND_BINDIR}" "${NEWSHOUND_SYSCONFDIR}"
                "${NEWSHOUND_DOCDIR}")

file(INSTALL DESTINATION "${nh_etc}/newshound" TYPE FILE
     FILES "${NEWSHOUND_SOURCE_DIR}/config/newshound.toml")
file(INSTALL DESTINATION "${nh_etc}/newshound" TYPE DIRECTORY
     FILES "${NEWSHOUND_SOURCE_DIR}/config/watchlists")
file(INSTALL DESTINATION "${nh_etc}/logrotate.d" TYPE FILE RENAME newshound
     FILES "${NEWSHOUND_SOURCE_DIR}/packaging/logrotate")

# Written beside, not over, the configure-time unit (build/systemd/newshound.service).
set(nh_unit "${NEWSHOUND_BINARY_DIR}/systemd/installed/newshound.service")
nh_configure_unit("${NEWSHOUND_SOURCE_DIR}" "${nh_unit}")
file(INSTALL DESTINATION "${nh_unitdir}" TYPE FILE FILES "${nh_unit}")
