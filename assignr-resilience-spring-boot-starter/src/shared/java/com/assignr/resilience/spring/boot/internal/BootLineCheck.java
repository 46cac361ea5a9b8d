package com.assignr.resilience.spring.boot.internal;

import java.util.function.Supplier;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

/**
 * Refuses to start an application of the other Boot line, with one line naming the artifact to
 * use. Each starter's jar registers it in {@code META-INF/spring.factories} as an {@code
 * ApplicationContextInitializer} (a key both lines read, and a Spring Framework type both have): it
 * runs before any bean definition is read, so before the starter's Boot modules of the wrong line
 * collide with the application's (on Boot 3.5 the Boot 4 starter otherwise fails with {@code
 * BeanDefinitionOverrideException: 'restClientSsl'}, then {@code NoSuchMethodError}s). The line
 * is {@link SpringBootVersion}'s major version, or, when the jar's manifest does not say (a
 * repackaged jar), whether Boot 4's {@code org.springframework.boot.EnvironmentPostProcessor}
 * exists. Not for users.
 */
public final class BootLineCheck implements ApplicationContextInitializer<ConfigurableApplicationContext>, Ordered {
  private final Supplier<String> bootVersion;

  /** The check of the application's Boot, as spring.factories creates it. */
  public BootLineCheck() {
    this(SpringBootVersion::getVersion);
  }

  BootLineCheck(Supplier<String> bootVersion) {
    this.bootVersion = bootVersion;
  }

  @Override
  public void initialize(ConfigurableApplicationContext context) {
    String problem = problem(bootVersion.get(), ClassUtils.isPresent(
        "org.springframework.boot.EnvironmentPostProcessor", BootLineCheck.class.getClassLoader()) ? 4 : 3);
    if (problem != null) throw new WrongBootLineException(problem);
  }

  /** Before everything else, the application's own initializers included. */
  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  /**
   * What is wrong, or null when {@code version} (or, when unknown, {@code majorByClasses}) is this
   * starter's line.
   */
  static String problem(String version, int majorByClasses) {
    int major = majorByClasses;
    if (version != null) {
      int dot = version.indexOf('.');
      try {
        major = Integer.parseInt(dot < 0 ? version : version.substring(0, dot));
      } catch (NumberFormatException e) {
        // An unusual version string: the classes decide.
      }
    }
    if (major == BootLine.MAJOR) return null;
    String other = major == BootLine.OTHER_MAJOR ? BootLine.OTHER_ARTIFACT : null;
    return BootLine.ARTIFACT + " is for Spring Boot " + BootLine.MAJOR + ".x, but this application runs Spring Boot "
        + (version == null ? major + ".x" : version) + ": "
        + (other == null ? "no assignr-resilience starter supports it yet"
            : "replace it with com.assignr.resilience:" + other + " (same properties, beans and types)");
  }

  /** The application runs the other Boot line. Not for users. */
  public static final class WrongBootLineException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    WrongBootLineException(String message) {
      super(message);
    }
  }

  /** Boot's startup report for {@link WrongBootLineException}: the one line, and what to do. Not for users. */
  public static final class Analyzer extends AbstractFailureAnalyzer<WrongBootLineException> {
    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, WrongBootLineException cause) {
      return new FailureAnalysis(cause.getMessage(), "Depend on the assignr-resilience starter of your Spring Boot line: "
          + "assignr-resilience-spring-boot-starter for Boot 4, assignr-resilience-spring-boot3-starter for Boot 3.5.", cause);
    }
  }
}
