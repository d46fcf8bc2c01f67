# Configures, builds and runs the consumer project against the installed NativeConv package.
# Compiler and flags are passed through so a sanitizer build links its consumer the same way.
file(REMOVE_RECURSE ${BINARY_DIR})

execute_process(
    COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BINARY_DIR} -G ${GENERATOR}
        -DCMAKE_PREFIX_PATH=${PREFIX}
        -DCMAKE_BUILD_TYPE=${CONFIG}
        -DCMAKE_C_COMPILER=${C_COMPILER}
        "-DCMAKE_C_FLAGS=${C_FLAGS}"
        "-DCMAKE_EXE_LINKER_FLAGS=${EXE_LINKER_FLAGS}"
    COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY_DIR} --config ${CONFIG} COMMAND_ERROR_IS_FATAL ANY)

find_program(consumer NAMES consumer PATHS ${BINARY_DIR} ${BINARY_DIR}/${CONFIG} NO_DEFAULT_PATH REQUIRED)
execute_process(COMMAND ${consumer} COMMAND_ERROR_IS_FATAL ANY)
