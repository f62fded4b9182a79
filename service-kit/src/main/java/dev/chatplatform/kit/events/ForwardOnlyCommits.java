package dev.chatplatform.kit.events;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A consumer whose offset commits never move a partition's committed offset backwards.
 * <p>
 * Why: the containers commit on a timer ({@code ack-mode=time}), so a poll's offsets wait in the container until the
 * next tick. When a later poll fails part-way, Spring Kafka's batch error handler commits what was applied before
 * the failure at once, straight on the consumer; the container's tick then commits the older offsets it was still
 * holding for the same partitions, and the group's offset goes back. Nothing is lost (the records after it come
 * again after a restart and are applied once, the consumers being idempotent), but the lag never reaches zero and
 * the records are read twice. Kafka keeps the last offset committed, not the highest, so the highest is kept here:
 * an offset below one this consumer already committed for the partition is left out of the commit.
 * <p>
 * Within one consumer's life a partition's committed offset only goes forward: another member that held the
 * partition in between started from this one's commit and went on from there, and resetting a group's offsets
 * needs the group to be empty (a container stopped, whose consumer is closed with it).
 */
final class ForwardOnlyCommits implements InvocationHandler {

    private final Consumer<?, ?> consumer;
    private final Map<TopicPartition, Long> committed = new ConcurrentHashMap<>();

    private ForwardOnlyCommits(Consumer<?, ?> consumer) {
        this.consumer = consumer;
    }

    @SuppressWarnings("unchecked")
    static <K, V> Consumer<K, V> wrap(Consumer<K, V> consumer) {
        return (Consumer<K, V>) Proxy.newProxyInstance(ForwardOnlyCommits.class.getClassLoader(),
                new Class<?>[]{Consumer.class}, new ForwardOnlyCommits(consumer));
    }

    /**
     * {@code commitSync(Map…)} and {@code commitAsync(Map, callback)} go on without the offsets that would go back,
     * and remember what was committed; every other call goes straight to the consumer.
     */
    @Override
    @SuppressWarnings("unchecked")
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (!method.getName().startsWith("commit") || args == null || !(args[0] instanceof Map)) {
            return call(method, args);
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = forward((Map<TopicPartition, OffsetAndMetadata>) args[0]);
        boolean async = method.getName().equals("commitAsync");
        OffsetCommitCallback callback = async ? (OffsetCommitCallback) args[1] : null;
        if (offsets.isEmpty()) {
            if (callback != null) {
                callback.onComplete(offsets, null);
            }
            return null;
        }
        Object[] forwardArgs = args.clone();
        forwardArgs[0] = offsets;
        if (async) {
            forwardArgs[1] = (OffsetCommitCallback) (done, failure) -> {
                if (failure == null) {
                    remember(done);
                }
                if (callback != null) {
                    callback.onComplete(done, failure);
                }
            };
            return call(method, forwardArgs);
        }
        Object result = call(method, forwardArgs);
        remember(offsets);
        return result;
    }

    /** {@code offsets} without those below what this consumer has committed for their partition. */
    private Map<TopicPartition, OffsetAndMetadata> forward(Map<TopicPartition, OffsetAndMetadata> offsets) {
        Map<TopicPartition, OffsetAndMetadata> forward = new LinkedHashMap<>(offsets);
        forward.entrySet().removeIf(e -> e.getValue().offset() < committed.getOrDefault(e.getKey(), -1L));
        return forward;
    }

    private void remember(Map<TopicPartition, OffsetAndMetadata> offsets) {
        offsets.forEach((partition, offset) -> committed.merge(partition, offset.offset(), Math::max));
    }

    private Object call(Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(consumer, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
