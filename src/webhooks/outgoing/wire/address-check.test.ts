// Unit tests of the address rule on resolved addresses: a function, never a request.
import { describe, expect, it } from "vitest";
import { isPrivateAddress, urlHost } from "./address-check.ts";

describe("isPrivateAddress", () => {
  it.each([
    "10.0.0.1",
    "10.255.255.255",
    "172.16.0.1",
    "172.31.255.254",
    "192.168.1.10",
    "169.254.169.254",
    "127.0.0.1",
    "127.255.0.1",
    "0.0.0.0",
    "100.64.0.1",
    "100.127.255.255",
    "224.0.0.1",
    "255.255.255.255",
    "::1",
    "::",
    "fc00::1",
    "fd12:3456::1",
    "fe80::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "64:ff9b::a9fe:a9fe",
    "[::1]",
  ])("refuses %s", (ip) => {
    expect(isPrivateAddress(ip)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "93.184.216.34", "2606:4700:4700::1111", "2a00:1450:4001::200e"])(
    "allows the public address %s",
    (ip) => {
      expect(isPrivateAddress(ip)).toBe(false);
    },
  );

  it("refuses what is not an IP address", () => {
    expect(isPrivateAddress("localhost")).toBe(true);
    expect(isPrivateAddress("")).toBe(true);
  });
});

describe("urlHost", () => {
  it("gives the address Node connects to for every spelling of loopback", () => {
    for (const spelling of ["127.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.0.0.1"]) {
      expect(urlHost(new URL(`http://${spelling}:8080/x`))).toBe("127.0.0.1");
    }
    expect(urlHost(new URL("http://[::ffff:127.0.0.1]/"))).toBe("::ffff:7f00:1");
    expect(urlHost(new URL("http://[::1]:9/"))).toBe("::1");
    expect(urlHost(new URL("http://0/"))).toBe("0.0.0.0");
    for (const spelling of ["127.1", "2130706433", "0x7f000001", "[::ffff:127.0.0.1]", "[::1]", "0"]) {
      expect(isPrivateAddress(urlHost(new URL(`http://${spelling}/`)))).toBe(true);
    }
  });
});
