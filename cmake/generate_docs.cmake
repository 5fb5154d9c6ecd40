# Build: writes the man pages newshound(1) and newshound.toml(5) (gzip -9n, as
# Debian wants them) and the bash completion, each printed by the just-built
# daemon's hidden `newshound reference` command from the CLI11 definition and the
# option table (the table docs/configuration.md is generated from); and the man
# pages of the installed tools, newshound-replay(1) and newshound-receive(1),
# from their --help (the first line, "name: summary", gives NAME).
# Run as `cmake -DNEWSHOUND=<binary> -DTOOLS=<binary>,<binary> -DOUT=<dir> -P generate_docs.cmake`.

file(MAKE_DIRECTORY "${OUT}")

function(nh_run out_var)
  execute_process(COMMAND ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${ARGN} failed: ${rc}")
  endif()
  set(${out_var} "${text}" PARENT_SCOPE)
endfunction()

function(nh_write_man name text)
  file(WRITE "${OUT}/${name}" "${text}")
  execute_process(COMMAND gzip -9nc "${OUT}/${name}" OUTPUT_FILE "${OUT}/${name}.gz" RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "gzip ${name} failed: ${rc}")
  endif()
endfunction()

nh_run(man1 "${NEWSHOUND}" reference man1)
nh_write_man(newshound.1 "${man1}")
nh_run(man5 "${NEWSHOUND}" reference man5)
nh_write_man(newshound.toml.5 "${man5}")
nh_run(bash "${NEWSHOUND}" reference bash)
file(WRITE "${OUT}/newshound" "${bash}")
nh_run(version "${NEWSHOUND}" --version)
string(STRIP "${version}" version)

string(REPLACE "," ";" tools "${TOOLS}")
foreach(tool ${tools})
  if(NOT EXISTS "${tool}")  # not built (a build of the daemon only): no page
    continue()
  endif()
  get_filename_component(name "${tool}" NAME)
  nh_run(help "${tool}" --help)
  string(FIND "${help}" "\n" eol)
  string(SUBSTRING "${help}" 0 ${eol} first)
  math(EXPR eol "${eol} + 1")
  string(SUBSTRING "${help}" ${eol} -1 body)
  string(REGEX REPLACE "^[^:]*: *" "" summary "${first}")
  string(REPLACE "${tool}" "${name}" body "${body}")  # the Usage line names argv[0]
  # No-fill text: backslashes escaped, and every line led by \& (zero width) so
  # that none can start a request with "." or "'".
  string(REPLACE "\\" "\\e" body "${body}")
  string(REGEX REPLACE "\n$" "" body "${body}")
  string(REPLACE "\n" "\n\\&" body "\\&${body}\n")
  string(TOUPPER "${name}" upper)
  string(CONCAT page
    ".TH ${upper} 1 \"\" \"${version}\" \"User Commands\"\n.SH NAME\n${name} \\- ${summary}\n"
    ".SH SYNOPSIS\n.B ${name}\n[\\fIoptions\\fR]\n.SH OPTIONS\n.nf\n${body}.fi\n"
    ".SH \"SEE ALSO\"\n.BR newshound (1)\n")
  nh_write_man(${name}.1 "${page}")
endforeach()
