package dev.chatplatform.chat.conversation;

import java.util.List;

/** One page: {@code nextCursor} (null on the last page) fetches the next one. */
record PageResponse<T>(String object, List<T> data, boolean hasMore, String nextCursor) {

    static <T> PageResponse<T> of(List<T> data, String nextCursor) {
        return new PageResponse<>("list", data, nextCursor != null, nextCursor);
    }
}
