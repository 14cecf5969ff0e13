package dev.gracefulshutdown.internal.explore;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The orders to run the hooks in, one after another: all of them for up to 4 hooks, a seeded sample beyond. */
final class HookOrders {

    static final int EXHAUSTIVE_UP_TO = 4;

    private HookOrders() {
    }

    static List<List<Integer>> of(int hooks, int budget, long seed) {
        if (hooks < 2) {
            return List.of();
        }
        if (hooks <= EXHAUSTIVE_UP_TO) {
            List<List<Integer>> all = new ArrayList<>();
            permute(new ArrayList<>(), hooks, all);
            return all.size() <= budget ? all : sample(all, budget, seed, String::valueOf);
        }
        Random random = new Random(seed);
        Set<List<Integer>> sample = new LinkedHashSet<>();
        int wanted = Math.min(budget, 24);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= hooks; i++) {
            order.add(i);
        }
        for (int attempt = 0; sample.size() < wanted && attempt < wanted * 20; attempt++) {
            Collections.shuffle(order, random);
            sample.add(List.copyOf(order));
        }
        return List.copyOf(sample);
    }

    private static void permute(List<Integer> prefix, int n, List<List<Integer>> into) {
        if (prefix.size() == n) {
            into.add(List.copyOf(prefix));
            return;
        }
        for (int i = 1; i <= n; i++) {
            if (!prefix.contains(i)) {
                prefix.add(i);
                permute(prefix, n, into);
                prefix.remove(prefix.size() - 1);
            }
        }
    }

    /**
     * {@code count} of {@code all}, drawn with the seed, kept in their order. Each element is ranked by its key mixed
     * with the seed, so the same seed draws the same points even when a run records one point more or less (a task
     * whose end races with the method's return).
     */
    static <T> List<T> sample(List<T> all, int count, long seed, java.util.function.Function<T, String> key) {
        if (all.size() <= count) {
            return all;
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            indices.add(i);
        }
        indices.sort(java.util.Comparator.comparingLong(i -> mix(seed ^ key.apply(all.get(i)).hashCode())));
        List<Integer> chosen = new ArrayList<>(indices.subList(0, count));
        Collections.sort(chosen);
        return chosen.stream().map(all::get).toList();
    }

    /** SplitMix64's finaliser: spreads a seed over all bits. */
    private static long mix(long value) {
        long z = value + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
