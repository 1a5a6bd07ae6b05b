package jinit.sys;

import java.nio.ByteBuffer;

/**
 * A block of native memory from {@link Libc#allocate}: its address, for the calls, and a
 * native-order view of it, for Java to read and write (absolute get and put only).
 */
final class Block {
    final long address;
    final ByteBuffer view;
    /** What keeps the memory alive on a backend whose memory the garbage collector frees. */
    final Object owner;

    Block(long address, ByteBuffer view, Object owner) {
        this.address = address;
        this.view = view;
        this.owner = owner;
    }

    /** Copies s to offset {@code at} with a NUL after it: the string's address. */
    long putString(int at, byte[] s) {
        view.put(at, s);
        view.put(at + s.length, (byte) 0);
        return address + at;
    }

    /** Zeroes {@code length} bytes from offset {@code at} (a multiple of 8 bytes). */
    void clear(int at, int length) {
        for (int i = 0; i < length; i += 8) view.putLong(at + i, 0);
    }
}
