package dev.llmworker.bus;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.UnaryOperator;

/**
 * Peers heard of over the event bus (worker instances, pollers, worker nodes), each with its latest value and when
 * it was last heard; a peer silent for longer than the expiry drops out. The one rule behind capacity and rate
 * budget sharing. Confined to one event loop.
 */
public final class PeerTable<V> {
  private record Entry<V>(V value, long heardAt) {}

  private final long expiryMs;
  private final Map<String, Entry<V>> peers = new HashMap<>();

  public PeerTable(long expiryMs) {
    this.expiryMs = expiryMs;
  }

  /** Records what a peer said at {@code now}; true when it was not known before. */
  public boolean heard(String id, V value, long now) {
    return peers.put(id, new Entry<>(value, now)) == null;
  }

  /** Changes what is known of a peer without counting it as heard from (null: it is not known). */
  public V update(String id, UnaryOperator<V> change) {
    Entry<V> e = peers.get(id);
    if (e == null) {
      return null;
    }
    V value = change.apply(e.value());
    peers.put(id, new Entry<>(value, e.heardAt()));
    return value;
  }

  public V get(String id) {
    Entry<V> e = peers.get(id);
    return e == null ? null : e.value();
  }

  public boolean remove(String id) {
    return peers.remove(id) != null;
  }

  /** Removes the peers silent for longer than the expiry; returns them with when each was last heard. */
  public Map<String, Long> expire(long now) {
    Map<String, Long> gone = new LinkedHashMap<>();
    peers.entrySet().removeIf(e -> {
      boolean silent = now - e.getValue().heardAt() > expiryMs;
      if (silent) {
        gone.put(e.getKey(), e.getValue().heardAt());
      }
      return silent;
    });
    return gone;
  }

  public void forEach(BiConsumer<String, V> action) {
    peers.forEach((id, e) -> action.accept(id, e.value()));
  }

  public List<V> values() {
    List<V> out = new ArrayList<>(peers.size());
    peers.values().forEach(e -> out.add(e.value()));
    return out;
  }

  public List<String> ids() {
    return new ArrayList<>(peers.keySet());
  }

  public int size() {
    return peers.size();
  }
}
