package io.tributary.app;


import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;

import io.tributary.app.cli.ImportCommand;
import io.tributary.app.imports.HistoricalImports;
import io.tributary.core.Tributary;

/**
 * Starts the server, or runs a one-shot command: {@code import --source ID --from ISO --to ISO}.
 */
@SpringBootApplication
public class TributaryApplication {

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("import")) {
            System.exit(importCommand(args));
        }
        SpringApplication.run(TributaryApplication.class, args);
    }

    static int importCommand(String[] args) {
        ImportCommand.Arguments arguments;
        try {
            arguments = ImportCommand.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(ImportCommand.USAGE);
            return 2;
        }
        SpringApplication app = new SpringApplication(TributaryApplication.class);
        app.setWebApplicationType(WebApplicationType.NONE);
        String[] springArgs = {"--tributary.cli=true", "--spring.main.banner-mode=off"};
        try (ConfigurableApplicationContext context = app.run(springArgs)) {
            return ImportCommand.run(context.getBean(Tributary.class), context.getBean(HistoricalImports.class), arguments,
                    System.out, System.err);
        } catch (RuntimeException e) {
            System.err.println("import failed: " + e.getMessage());
            return 1;
        }
    }
}
