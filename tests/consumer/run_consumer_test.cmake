# Installs tessera from TESSERA_BUILD_DIR into SCRATCH_DIR/prefix, then
# builds the consumer against it three ways (CMake with the shared and with
# the static library, pkg-config with the shared one) and runs each.
# PLUGIN_BUILT: whether the build made the CUDA plugin (then the shared
# consumers must have loaded it from beside the installed library).
file(REMOVE_RECURSE ${SCRATCH_DIR})
set(prefix ${SCRATCH_DIR}/prefix)
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message(STATUS "${what}: ${out}${err}")
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc})")
  endif()
endfunction()
run("install" ${CMAKE_COMMAND} --install ${TESSERA_BUILD_DIR} --prefix ${prefix})
run("configure the consumer" ${CMAKE_COMMAND} -S ${CONSUMER_SOURCE_DIR} -B ${SCRATCH_DIR}/build
    -DCMAKE_PREFIX_PATH=${prefix})
run("build the consumer" ${CMAKE_COMMAND} --build ${SCRATCH_DIR}/build)
if(PLUGIN_BUILT)
  # Here the CUDA libraries are present, so the installed plugin loads and
  # the reason is the CUDA runtime's (no driver on CI machines) or empty.
  set(shared_reason "")
else()
  set(shared_reason "built without the CUDA plugin")
endif()
run("the consumer (shared)" ${SCRATCH_DIR}/build/consumer ${shared_reason})
run("the consumer (static)" ${SCRATCH_DIR}/build/consumer_static "links tessera statically")
# pkg-config, as a Makefile user would build it.
find_program(PKG_CONFIG pkg-config REQUIRED)
set(ENV{PKG_CONFIG_PATH} ${prefix}/lib/pkgconfig)
execute_process(COMMAND ${PKG_CONFIG} --cflags --libs tessera OUTPUT_VARIABLE flags RESULT_VARIABLE rc
                OUTPUT_STRIP_TRAILING_WHITESPACE)
if(rc)
  message(FATAL_ERROR "pkg-config tessera failed")
endif()
separate_arguments(flags UNIX_COMMAND "${flags}")
run("build with pkg-config" c++ -std=c++20 ${CONSUMER_SOURCE_DIR}/main.cc ${flags} -Wl,-rpath,${prefix}/lib
    -o ${SCRATCH_DIR}/consumer_pkgconfig)
run("the consumer (pkg-config)" ${SCRATCH_DIR}/consumer_pkgconfig ${shared_reason})
