package io.tributary.app.config;

import java.util.Map;
import java.util.TreeMap;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;

/**
 * The {@code TRIBUTARY_*} variables, read through Spring's environment so that the process environment, system
 * properties and command-line {@code --TRIBUTARY_...=} arguments (handy in tests) all count, in Spring's order.
 */
public final class EnvVariables {

    private EnvVariables() {
    }

    public static Map<String, String> from(ConfigurableEnvironment environment) {
        Map<String, String> vars = new TreeMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("TRIBUTARY_") && !vars.containsKey(name)) {
                        String value = environment.getProperty(name);
                        if (value != null) {
                            vars.put(name, value);
                        }
                    }
                }
            }
        }
        return vars;
    }
}
