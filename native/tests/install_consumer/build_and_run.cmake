# Configures, builds and runs the consumer project against the installed NativeConv package.
# Compiler and flags are passed through so a sanitizer build links its consumer the same way.
file(REMOVE_RECURSE ${BINARY_DIR})

# docs/c-api.md shows this project's two files as its example, so they must appear there word for word.
get_filename_component(c_api_page ${SOURCE_DIR}/../../../docs/c-api.md ABSOLUTE)
file(READ ${c_api_page} page)
foreach(name CMakeLists.txt main.c)
    file(READ ${SOURCE_DIR}/${name} text)
    string(FIND "${page}" "${text}" at)
    if(at EQUAL -1)
        message(FATAL_ERROR "${c_api_page} does not show ${SOURCE_DIR}/${name} as it is; copy the file into the page")
    endif()
endforeach()

# A cross build configures the consumer with the same toolchain (the prefix joins its find roots, which
# otherwise hold only the target's system root) and runs it through the same emulator as the tests.
set(cross_arguments)
if(TOOLCHAIN_FILE)
    set(cross_arguments -DCMAKE_TOOLCHAIN_FILE=${TOOLCHAIN_FILE} -DCMAKE_FIND_ROOT_PATH=${PREFIX})
endif()

execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
        -DCMAKE_PREFIX_PATH=${PREFIX}
        -DCMAKE_BUILD_TYPE=${CONFIG}
        -DCMAKE_C_COMPILER=${C_COMPILER}
        "-DCMAKE_C_FLAGS=${C_FLAGS}"
        "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
        ${cross_arguments}
    COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --config ${CONFIG} COMMAND_ERROR_IS_FATAL ANY)

find_program(consumer NAMES consumer PATHS ${BINARY_DIR} ${BINARY_DIR}/${CONFIG} NO_DEFAULT_PATH REQUIRED)
execute_process(COMMAND ${EMULATOR} ${consumer} COMMAND_ERROR_IS_FATAL ANY)
