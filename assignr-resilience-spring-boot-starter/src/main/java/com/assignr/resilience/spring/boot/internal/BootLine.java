package com.assignr.resilience.spring.boot.internal;

/** Which Spring Boot line this starter is for, as {@link BootLineCheck} needs it. */
final class BootLine {
  static final int MAJOR = 4;
  static final String ARTIFACT = "assignr-resilience-spring-boot-starter";
  static final int OTHER_MAJOR = 3;
  static final String OTHER_ARTIFACT = "assignr-resilience-spring-boot3-starter";

  private BootLine() {}
}
