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
            return all.size() <= budget ? all : sample(all, budget, seed);
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

    /** {@code count} of {@code all}, drawn with the seed, kept in their order. */
    static <T> List<T> sample(List<T> all, int count, long seed) {
        if (all.size() <= count) {
            return all;
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            indices.add(i);
        }
        Collections.shuffle(indices, new Random(seed));
        List<Integer> chosen = new ArrayList<>(indices.subList(0, count));
        Collections.sort(chosen);
        return chosen.stream().map(all::get).toList();
    }
}
