# Fails when the built library is larger than LIMIT bytes: the size the project promises for a Release build.
# Usage: cmake -DLIBRARY=<path> -DLIMIT=<bytes> -P library_size.cmake
file(SIZE "${LIBRARY}" size)
if(size GREATER LIMIT)
    message(FATAL_ERROR "${LIBRARY} is ${size} bytes, over the limit of ${LIMIT}")
endif()
message(STATUS "${LIBRARY}: ${size} bytes (limit ${LIMIT})")
