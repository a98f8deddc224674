package io.jllm.tools;

import io.jllm.tools.calculator.Calculator;
import io.jllm.tools.calendar.Calendar;
import org.junit.jupiter.api.Test;

import java.io.Closeable;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ToolRegistryTest {

    @Test
    void findsToolsIgnoringCase() {
        ToolRegistry registry = new ToolRegistry().register(new Calculator());

        assertThat(registry.find("Calculator")).containsInstanceOf(Calculator.class);
        assertThat(registry.find("calculator")).containsInstanceOf(Calculator.class);
        assertThat(registry.find("CALCULATOR")).containsInstanceOf(Calculator.class);
        assertThat(registry.find("Calc")).isEmpty();
        assertThat(registry.find(null)).isEmpty();
    }

    @Test
    void listsToolsInRegistrationOrder() {
        ToolRegistry registry = new ToolRegistry()
                .register(new Calendar(Clock.systemUTC()))
                .register(new Calculator());
        assertThat(registry.names()).containsExactly("Calendar", "Calculator");
        assertThat(registry.tools()).hasSize(2);
    }

    @Test
    void acceptsUserToolsAndRefusesASecondToolOfTheSameName() {
        ToolRegistry registry = new ToolRegistry().register(new Calculator());
        registry.register(new Named("Translate"));

        assertThat(registry.find("translate")).isPresent();
        assertThatThrownBy(() -> registry.register(new Named("CALCULATOR")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("a tool named 'Calculator' is already registered");
    }

    @Test
    void refusesNamesTheModelCouldNotWriteAsACall() {
        ToolRegistry registry = new ToolRegistry();
        for (String bad : new String[] {"", "2fast", "Wiki Search", "Calc(", "→"}) {
            assertThatThrownBy(() -> registry.register(new Named(bad)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("must be a letter followed by letters, digits or '_'");
        }
        assertThatThrownBy(() -> registry.register(new Named(null))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closingClosesToolsThatHoldResources() throws IOException {
        AtomicBoolean closed = new AtomicBoolean();
        class Holding extends Named implements Closeable {
            Holding() {
                super("Holding");
            }

            @Override
            public void close() {
                closed.set(true);
            }
        }
        ToolRegistry registry = new ToolRegistry().register(new Calculator()).register(new Holding());
        registry.close();
        assertThat(closed).isTrue();
    }

    private static class Named implements Tool {
        private final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public String description() {
            return "a test tool";
        }

        @Override
        public String syntax() {
            return name + "()";
        }

        @Override
        public String call(String arguments) {
            return arguments;
        }
    }
}
