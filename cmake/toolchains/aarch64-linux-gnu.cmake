# Cross-compiles for 64-bit Arm Linux with Debian's gcc-aarch64-linux-gnu and libc6-dev-arm64-cross.
# Tests then run under user-mode QEMU: the aarch64 preset sets CMAKE_CROSSCOMPILING_EMULATOR, and
# the -L argument there must name the same sysroot as below so the emulator finds the Arm ld.so and libc.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(NATIVECONV_AARCH64_TRIPLE aarch64-linux-gnu CACHE STRING "GNU triple of the cross compiler")
set(NATIVECONV_AARCH64_SYSROOT /usr/${NATIVECONV_AARCH64_TRIPLE} CACHE PATH
    "Root of the Arm libraries and headers (Debian's multiarch cross location)")

# Overridable, e.g. -DCMAKE_C_COMPILER=clang -DCMAKE_C_COMPILER_TARGET=aarch64-linux-gnu.
if(NOT CMAKE_C_COMPILER)
    set(CMAKE_C_COMPILER ${NATIVECONV_AARCH64_TRIPLE}-gcc)
endif()

# Libraries, headers and packages come from the Arm roots only; programs (cmake, qemu) from the host.
# Appended, so a consumer can add the prefix it installed NativeConv into with -DCMAKE_FIND_ROOT_PATH.
list(APPEND CMAKE_FIND_ROOT_PATH ${NATIVECONV_AARCH64_SYSROOT})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
