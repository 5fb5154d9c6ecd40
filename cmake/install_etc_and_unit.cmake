# Install: runs inside `cmake --install` (install(SCRIPT) in CMakeLists.txt), so
# the config, the logrotate snippet and the systemd unit follow the prefix given
# at INSTALL time (--prefix, CPack's), not only the one given at configure time.
# The system configuration directory is /etc for the prefix /usr and
# <prefix>/etc for any other (GNUInstallDirs' rule), unless CMAKE_INSTALL_SYSCONFDIR
# was configured as an absolute path. file(INSTALL) adds $ENV{DESTDIR} itself.
# Set before this runs (install(CODE)): NEWSHOUND_SOURCE_DIR, NEWSHOUND_BINARY_DIR
# and the configured, usually relative, NEWSHOUND_BINDIR, NEWSHOUND_SYSCONFDIR,
# NEWSHOUND_DOCDIR.

string(REGEX REPLACE "(.)/+$" "\\1" nh_prefix "${CMAKE_INSTALL_PREFIX}")

# The absolute form of a GNUInstallDirs directory under the install-time prefix.
function(nh_full_dir out dir)
  if(IS_ABSOLUTE "${dir}")
    set(${out} "${dir}" PARENT_SCOPE)
  elseif(nh_prefix STREQUAL "/")
    set(${out} "/${dir}" PARENT_SCOPE)
  else()
    set(${out} "${nh_prefix}/${dir}" PARENT_SCOPE)
  endif()
endfunction()

if(IS_ABSOLUTE "${NEWSHOUND_SYSCONFDIR}")
  set(nh_etc "${NEWSHOUND_SYSCONFDIR}")
elseif(nh_prefix STREQUAL "/usr" OR nh_prefix STREQUAL "/")
  set(nh_etc "/etc")
else()
  set(nh_etc "${nh_prefix}/${NEWSHOUND_SYSCONFDIR}")
endif()
nh_full_dir(nh_bindir "${NEWSHOUND_BINDIR}")
nh_full_dir(nh_docdir "${NEWSHOUND_DOCDIR}")
nh_full_dir(nh_unitdir "lib/systemd/system")

file(INSTALL DESTINATION "${nh_etc}/newshound" TYPE FILE
     FILES "${NEWSHOUND_SOURCE_DIR}/config/newshound.toml")
file(INSTALL DESTINATION "${nh_etc}/newshound" TYPE DIRECTORY
     FILES "${NEWSHOUND_SOURCE_DIR}/config/watchlists")
file(INSTALL DESTINATION "${nh_etc}/logrotate.d" TYPE FILE RENAME newshound
     FILES "${NEWSHOUND_SOURCE_DIR}/packaging/logrotate")

# The names config/systemd/newshound.service.in uses.
set(CMAKE_INSTALL_FULL_BINDIR "${nh_bindir}")
set(NEWSHOUND_CONFIG_FILE "${nh_etc}/newshound/newshound.toml")
set(NEWSHOUND_DOC_DIR "${nh_docdir}")
set(nh_unit "${NEWSHOUND_BINARY_DIR}/systemd/newshound.service")
configure_file("${NEWSHOUND_SOURCE_DIR}/config/systemd/newshound.service.in" "${nh_unit}" @ONLY)
file(INSTALL DESTINATION "${nh_unitdir}" TYPE FILE FILES "${nh_unit}")
