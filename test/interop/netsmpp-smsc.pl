#!/usr/bin/perl
# An SMSC played by Net::SMPP (Debian's libnet-smpp-perl), an SMPP implementation written
# independently of Switchboard's. It prints what it receives as JSON lines for the test to check.
# Usage: netsmpp-smsc.pl <port, 0 for any> <hex|decimal: the form of ids in submit_sm_resp>
# Receipts carry the id in the other form. A message whose text is DROP makes it drop the link.
use strict;
use warnings;
use Net::SMPP;

$| = 1;
my ($port, $ids) = @ARGV;
my $listener = Net::SMPP->new_listen('127.0.0.1', port => $port, smpp_version => 0x34)
  or die "cannot listen: $!";
print "READY ", $listener->sockport, "\n";

my $next = 4096;
while (my $conn = $listener->accept) {
  print qq({"event":"connect"}\n);
  while (my $pdu = $conn->read_pdu) {
    my $cmd = $pdu->{cmd};
    if ($cmd == Net::SMPP::CMD_bind_transceiver) {
      print qq({"event":"bind","system_id":"$pdu->{system_id}"}\n);
      $conn->bind_transceiver_resp(system_id => 'netsmpp', seq => $pdu->{seq});
    } elsif ($cmd == Net::SMPP::CMD_enquire_link) {
      print qq({"event":"enquire_link"}\n);
      $conn->enquire_link_resp(seq => $pdu->{seq});
    } elsif ($cmd == Net::SMPP::CMD_unbind) {
      print qq({"event":"unbind"}\n);
      $conn->unbind_resp(seq => $pdu->{seq});
      last;
    } elsif ($cmd == Net::SMPP::CMD_submit_sm) {
      my $n = $next++;
      my $id = $ids eq 'hex' ? sprintf('%X', $n) : "$n";
      my $receipt_id = $ids eq 'hex' ? "$n" : sprintf('%X', $n);
      printf qq({"event":"submit","id":"%s","dest":"%s","source":"%s","data_coding":%d,"esm_class":%d,"sm":"%s"}\n),
        $id, $pdu->{destination_addr}, $pdu->{source_addr}, $pdu->{data_coding}, $pdu->{esm_class}, unpack('H*', $pdu->{short_message});
      $conn->submit_sm_resp(message_id => $id, seq => $pdu->{seq});
      if ($pdu->{short_message} eq 'DROP') {
        print qq({"event":"drop"}\n);
        last;
      }
      $conn->deliver_sm(
        source_addr      => $pdu->{destination_addr},
        destination_addr => $pdu->{source_addr},
        esm_class        => 0x04,
        data_coding      => 0,
        short_message    => "id:$receipt_id sub:001 dlvrd:001 submit date:2611221200 done date:2611221201 stat:DELIVRD err:000 text:",
        async            => 1,
      );
    }
  }
  close $conn;
  print qq({"event":"disconnect"}\n);
}
