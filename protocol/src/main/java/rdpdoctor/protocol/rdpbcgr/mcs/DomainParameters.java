package rdpdoctor.protocol.rdpbcgr.mcs;

import rdpdoctor.protocol.ByteReader;
import rdpdoctor.protocol.der.Der;

/**
 * [T.125] 7 DomainParameters, BER-encoded inside MCS Connect-Initial and Connect-Response:
 * {@code SEQUENCE { maxChannelIds, maxUserIds, maxTokenIds, numPriorities, minThroughput,
 * maxHeight, maxMCSPDUsize, protocolVersion } } — all INTEGER.
 */
public record DomainParameters(
    long maxChannelIds,
    long maxUserIds,
    long maxTokenIds,
    long numPriorities,
    long minThroughput,
    long maxHeight,
    long maxMcsPduSize,
    long protocolVersion) {

  /** [MS-RDPBCGR] 4.1.3 targetParameters, what mstsc sends. */
  public static final DomainParameters TARGET = new DomainParameters(34, 2, 0, 1, 0, 1, 0xFFFF, 2);

  public static final DomainParameters MINIMUM = new DomainParameters(1, 1, 1, 1, 0, 1, 0x420, 2);
  public static final DomainParameters MAXIMUM = new DomainParameters(0xFFFF, 0xFC17, 0xFFFF, 1, 0, 1, 0xFFFF, 2);

  public static DomainParameters decode(ByteReader r, String field) {
    ByteReader s = Der.expect(r, Der.SEQUENCE, field, 256);
    return new DomainParameters(
        Der.readUnsigned(s, field + ".maxChannelIds"),
        Der.readUnsigned(s, field + ".maxUserIds"),
        Der.readUnsigned(s, field + ".maxTokenIds"),
        Der.readUnsigned(s, field + ".numPriorities"),
        Der.readUnsigned(s, field + ".minThroughput"),
        Der.readUnsigned(s, field + ".maxHeight"),
        Der.readUnsigned(s, field + ".maxMCSPDUsize"),
        Der.readUnsigned(s, field + ".protocolVersion"));
  }

  public byte[] encode() {
    return Der.tlv(
        Der.SEQUENCE,
        Der.unsigned(maxChannelIds), Der.unsigned(maxUserIds), Der.unsigned(maxTokenIds),
        Der.unsigned(numPriorities), Der.unsigned(minThroughput), Der.unsigned(maxHeight),
        Der.unsigned(maxMcsPduSize), Der.unsigned(protocolVersion));
  }
}
