# Install: where newshound's files go for a given install prefix, and the systemd
# unit generated for it. Used at configure time (CMakeLists.txt: the unit for the
# configured prefix, build/systemd/newshound.service, which the unit tests check)
# and at install time (cmake/install_etc_and_unit.cmake: for the prefix given to
# `cmake --install`). The system configuration directory is /etc for the prefix
# /usr (and /) and <prefix>/etc otherwise (GNUInstallDirs' rule), unless the
# configured CMAKE_INSTALL_SYSCONFDIR is absolute.

# nh_install_dirs(<prefix> <bindir> <sysconfdir> <docdir>): the relative (or
# absolute) GNUInstallDirs values under <prefix>; sets nh_prefix, nh_bindir,
# nh_etc, nh_docdir and nh_unitdir (absolute) in the caller's scope.
function(nh_install_dirs prefix bindir sysconfdir docdir)
  string(REGEX REPLACE "(.)/+$" "\\1" prefix "${prefix}")
  set(under "${prefix}")
  if(prefix STREQUAL "/")
    set(under "")
  endif()
  foreach(pair "bindir;${bindir}" "docdir;${docdir}" "unitdir;lib/systemd/system")
    list(GET pair 0 name)
    list(GET pair 1 dir)
    if(IS_ABSOLUTE "${dir}")
      set(nh_${name} "${dir}" PARENT_SCOPE)
    else()
      set(nh_${name} "${under}/${dir}" PARENT_SCOPE)
    endif()
  endforeach()
  if(IS_ABSOLUTE "${sysconfdir}")
    set(nh_etc "${sysconfdir}" PARENT_SCOPE)
  elseif(prefix STREQUAL "/usr" OR prefix STREQUAL "/")
    set(nh_etc "/etc" PARENT_SCOPE)
  else()
    set(nh_etc "${under}/${sysconfdir}" PARENT_SCOPE)
  endif()
  set(nh_prefix "${prefix}" PARENT_SCOPE)
endfunction()

# nh_configure_unit(<source dir> <output file>): the unit from
# config/systemd/newshound.service.in for the nh_* directories in scope.
function(nh_configure_unit source_dir out)
  # The names newshound.service.in uses.
  set(CMAKE_INSTALL_FULL_BINDIR "${nh_bindir}")
  set(NEWSHOUND_CONFIG_FILE "${nh_etc}/newshound/newshound.toml")
  set(NEWSHOUND_DOC_DIR "${nh_docdir}")
  configure_file("${source_dir}/config/systemd/newshound.service.in" "${out}" @ONLY)
endfunction()
